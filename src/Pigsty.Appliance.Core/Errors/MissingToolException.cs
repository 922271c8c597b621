namespace Pigsty.Appliance.Core.Errors;

/// <summary>A host tool is not installed; names the Debian package that provides it.</summary>
public sealed class MissingToolException(string tool, string? package)
    : ApplianceException(package is null
        ? $"required tool '{tool}' was not found on PATH"
        : $"required tool '{tool}' was not found on PATH (install the Debian package '{package}', or run ./build.sh --target=Prerequisites)")
{
    public string Tool { get; } = tool;

    public string? Package { get; } = package;

    public override ExitCode ExitCode => ExitCode.MissingTool;
}
