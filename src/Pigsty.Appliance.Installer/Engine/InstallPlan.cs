using System.Text;

using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>Every module's plan for this node, in install order, and the graph of what waits for what.</summary>
public sealed record InstallPlan(NodeContext Node, IReadOnlyList<ModulePlan> Modules)
{
    /// <summary>The steps that run and what each waits for (checked when the plan is created).</summary>
    public StepGraph Graph { get; } = StepGraph.Build(Modules);

    /// <summary>Builds the plan; step ids must be unique across modules, dependencies known and free of cycles.</summary>
    public static InstallPlan Create(NodeContext node, IEnumerable<IModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        return new InstallPlan(node, modules.Select(m => m.Plan(node)).ToList());
    }

    /// <summary>The plan as text: one line per module and step, skipped modules with their reason.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("node ").Append(Node.Address).Append(" (").Append(Node.Hostname).Append(")\n");
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
