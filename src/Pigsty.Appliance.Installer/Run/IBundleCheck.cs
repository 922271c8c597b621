namespace Pigsty.Appliance.Installer.Run;

/// <summary>Verifies the node's bundled repository against its <c>repo_complete</c> before anything is installed from it.</summary>
public interface IBundleCheck
{
    /// <summary>Throws an integrity error naming the bad file; returns a one-line summary when the repo is whole.</summary>
    Task<string> VerifyAsync(string repoDirectory, CancellationToken cancellationToken);
}
