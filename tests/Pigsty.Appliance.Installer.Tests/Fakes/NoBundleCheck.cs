using Pigsty.Appliance.Installer.Run;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>A bundle check for runs made without bundle verification: called, it fails the test.</summary>
internal sealed class NoBundleCheck : IBundleCheck
{
    public Task<string> VerifyAsync(string repoDirectory, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the test runs without bundle verification");
}
