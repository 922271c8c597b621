using System.Text;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;

using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Every module's plan for this node, in install order, and the graph of what waits for what.</summary>
public sealed record InstallPlan(NodeContext Node, IReadOnlyList<ModulePlan> Modules)
{
    /// <summary>
    /// What a person should fix in the inventory though the install can run, with file:line and field: Pigsty's well-known default
    /// passwords, and (added by the installer) parameters this node's variables set that the appliance does not honour (see ParameterTable).
    /// </summary>
    public IReadOnlyList<InputProblem> Warnings { get; init; } = [];

    /// <summary>The steps that run and what each waits for (checked when the plan is created).</summary>
    public StepGraph Graph { get; } = StepGraph.Build(Modules);

    /// <summary>Builds the plan; step ids must be unique across modules, dependencies known and free of cycles.</summary>
    public static InstallPlan Create(NodeContext node, IEnumerable<IModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);

        // Every module's input problems at once (a secret two modules need is named once), not only the first module's.
        var plans = new List<ModulePlan>();
        var problems = new List<InputProblem>();
        foreach (var module in modules)
        {
            try
            {
                plans.Add(module.Plan(node));
            }
            catch (InputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems.Distinct().ToList());
        }

        return new InstallPlan(node, plans) { Warnings = InventorySecrets.WellKnownIn(node.Inventory) };
    }

    /// <summary>The plan as text: one line per module and step, skipped modules with their reason.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("node ").Append(Node.Address).Append(" (").Append(Node.Hostname).Append(")\n");
        foreach (var warning in Warnings)
        {
            text.Append("warning: ").Append(warning).Append('\n');
        }

        foreach (var module in Modules)
        {
            if (module.Skipped)
            {
                text.Append(module.Module).Append(" skipped: ").Append(module.SkipReason).Append('\n');
                continue;
            }

            text.Append(module.Module).Append(": ").Append(module.Steps.Count).Append(" steps\n");
            foreach (var note in module.Notes)
            {
                text.Append("  note: ").Append(note).Append('\n');
            }

            foreach (var step in module.Steps)
            {
                text.Append("  ").Append(step.Id).Append("  ").Append(step.Title);
                if (Graph.Nodes.FirstOrDefault(n => n.Step.Id == step.Id) is { Before.Count: > 0 } node)
                {
                    text.Append("  [after ").Append(string.Join(", ", node.Before.Select(b => Graph.Nodes[b].Step.Id))).Append(']');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
