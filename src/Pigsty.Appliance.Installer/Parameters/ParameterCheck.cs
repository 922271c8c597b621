using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Parameters;

/// <summary>Checks every variable an inventory sets against <see cref="ParameterTable"/>, naming the file and line of each.</summary>
public static class ParameterCheck
{
    /// <summary>The whole inventory, or only what reaches <paramref name="host"/> (for its install plan).</summary>
    public static ParameterReport Check(PigstyInventory inventory, InventoryHost? host = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var warnings = new List<InputProblem>(host is null ? inventory.Warnings : inventory.Warnings.Where(w => Concerns(w, inventory, host)));
        var errors = new List<InputProblem>();
        foreach (var definition in inventory.Definitions.Where(d => host is null || d.Reaches(host)))
        {
            var at = (Location: definition.KeyLocation, Field: definition.Value.Path);
            if (ParameterTable.Find(definition.Name) is not { } parameter)
            {
                var guess = ParameterTable.Suggest(definition.Name);
                warnings.Add(new InputProblem(at.Location, at.Field, guess is null
                    ? $"unknown parameter '{definition.Name}': no Pigsty role and nothing in this appliance reads it"
                    : $"unknown parameter '{definition.Name}' (did you mean '{guess}'?)"));
                continue;
            }

            switch (parameter.StatusFor(definition.Value))
            {
                case ParameterStatus.NotSupported:
                    warnings.Add(new InputProblem(at.Location, at.Field, $"not supported here, ignored: {parameter.Note}"));
                    break;
                case ParameterStatus.Rejected:
                    errors.Add(new InputProblem(at.Location, at.Field, $"cannot be honoured here and ignoring it would be unsafe: {parameter.Note}"));
                    break;
            }
        }

        return new ParameterReport(Sorted(warnings), Sorted(errors));
    }

    /// <summary>A loader warning concerns a host when it points into that host's own entry or a definition that reaches it.</summary>
    private static bool Concerns(InputProblem warning, PigstyInventory inventory, InventoryHost host) =>
        inventory.Definitions.Any(d => d.Value.Path == warning.Field && d.Reaches(host));

    private static List<InputProblem> Sorted(List<InputProblem> problems) =>
        problems.Distinct().OrderBy(p => p.Location.File, StringComparer.Ordinal).ThenBy(p => p.Location.Line).ThenBy(p => p.Location.Column).ToList();
}
