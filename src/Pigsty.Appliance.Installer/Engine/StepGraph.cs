namespace Pigsty.Appliance.Installer.Engine;

/// <summary>
/// The steps of the modules that run, in plan order, each with the steps it waits for: its <see cref="Step.RunsAfter"/> ids and every
/// step that gives one of its <see cref="Step.Needs"/>. Unknown ids and cycles are planning errors, found before anything runs.
/// </summary>
public sealed class StepGraph
{
    private StepGraph(IReadOnlyList<StepNode> nodes) => Nodes = nodes;

    /// <summary>Every step that runs, in plan order (module order, then the module's own order).</summary>
    public IReadOnlyList<StepNode> Nodes { get; }

    /// <summary>Builds and checks the graph of <paramref name="modules"/> (skipped ones contribute nothing).</summary>
    public static StepGraph Build(IReadOnlyList<ModulePlan> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var steps = modules.Where(m => !m.Skipped).SelectMany(m => m.Steps.Select(s => (m.Module, Step: s))).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            if (!index.TryAdd(steps[i].Step.Id, i))
            {
                throw new InvalidOperationException($"step id '{steps[i].Step.Id}' is used twice in the plan");
            }
        }

        var givers = steps.Select((s, i) => (s.Step, i))
            .SelectMany(s => s.Step.Gives.Select(g => (Output: g, Index: s.i)))
            .ToLookup(g => g.Output, g => g.Index, StringComparer.Ordinal);
        var nodes = new List<StepNode>();
        for (var i = 0; i < steps.Count; i++)
        {
            var (module, step) = steps[i];
            var before = new SortedSet<int>();
            foreach (var id in step.RunsAfter)
            {
                before.Add(index.TryGetValue(id, out var at)
                    ? at
                    : throw new InvalidOperationException($"step '{step.Id}' runs after '{id}', which is not a step of the plan"));
            }

            // A step may give what it also needs (each MINIO node adds its names to /etc/hosts after NODE's): it never waits for itself.
            before.UnionWith(step.Needs.SelectMany(n => givers[n]).Where(g => g != i));
            nodes.Add(new StepNode(i, module, step, [.. before]));
        }

        ThrowOnCycle(nodes);
        return new StepGraph(nodes);
    }

    /// <summary>A depth-first walk; a step met again while it is on the walk's path closes a cycle, which the error spells out.</summary>
    private static void ThrowOnCycle(IReadOnlyList<StepNode> nodes)
    {
        var state = new int[nodes.Count];
        var path = new List<int>();
        foreach (var node in nodes)
        {
            Visit(node.Index);
        }

        void Visit(int i)
        {
            if (state[i] == 2)
            {
                return;
            }

            if (state[i] == 1)
            {
                var cycle = path.Skip(path.IndexOf(i)).Append(i).Select(n => nodes[n].Step.Id);
                throw new InvalidOperationException($"steps wait for each other in a cycle: {string.Join(" waits for ", cycle)}");
            }

            state[i] = 1;
            path.Add(i);
            foreach (var before in nodes[i].Before)
            {
                Visit(before);
            }

            path.RemoveAt(path.Count - 1);
            state[i] = 2;
        }
    }
}
