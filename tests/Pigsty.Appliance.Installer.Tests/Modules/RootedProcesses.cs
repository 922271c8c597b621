using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Runs real processes (each from the host package list), with absolute node paths in arguments and environment moved under a test's temp root.</summary>
internal sealed class RootedProcesses(string root, params string[] prefixes) : IProcessRunner
{
    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken) =>
        ProcessRunner.Silent.RunAsync(spec with
        {
            FileName = RealTool.Require(spec.FileName),
            Arguments = spec.Arguments.Select(Map).ToList(),
            Environment = spec.Environment.ToDictionary(e => e.Key, e => e.Value is null ? null : Map(e.Value)),
        }, cancellationToken);

    private string Map(string value) =>
        prefixes.Aggregate(value, (text, prefix) => text.Replace(prefix, root + prefix, StringComparison.Ordinal));
}
