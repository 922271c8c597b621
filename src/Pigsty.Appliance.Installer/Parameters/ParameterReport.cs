using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Installer.Parameters;

/// <summary>What an inventory sets that the appliance does not honour: warnings (not supported, unknown names) and errors (unsafe).</summary>
public sealed record ParameterReport(IReadOnlyList<InputProblem> Warnings, IReadOnlyList<InputProblem> Errors)
{
    /// <summary>Throws the errors (and with <paramref name="strict"/> the warnings too) as one input error.</summary>
    public void ThrowIfFailed(bool strict)
    {
        var failures = strict ? [.. Errors, .. Warnings] : Errors;
        if (failures.Count > 0)
        {
            throw new InputException(failures.OrderBy(p => p.Location.Line).ThenBy(p => p.Location.Column).ToList());
        }
    }
}
