using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Pipelines;

/// <summary>Runs named steps in dependency order; unknown dependencies and cycles are rejected before anything runs.</summary>
public sealed class Pipeline
{
    private readonly string _name;
    private readonly IReadOnlyList<PipelineStep> _ordered;

    public Pipeline(string name, IReadOnlyList<PipelineStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _name = name;
        _ordered = Order(name, steps);
    }

    /// <summary>Step names in the order they will run.</summary>
    public IReadOnlyList<string> Order() => _ordered.Select(s => s.Name).ToList();

    /// <summary>Runs every step; a failing step stops the pipeline with its name in the error.</summary>
    public Task<IReadOnlyList<StepTiming>> RunAsync(ILogger logger, CancellationToken cancellationToken) =>
        RunAsync(logger, null, cancellationToken);

    /// <summary>Runs every step, telling <paramref name="observer"/> as each starts and ends; a failing step stops the pipeline with its name in the error.</summary>
    public async Task<IReadOnlyList<StepTiming>> RunAsync(ILogger logger, IPipelineObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var timings = new List<StepTiming>();
        foreach (var step in _ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            logger.LogInformation("{Pipeline}: {Step} started", _name, step.Name);
            observer?.StepStarted(step.Name);
            try
            {
                await step.Run(cancellationToken);
            }
            catch (ApplianceException e) when (e is not StepFailedException)
            {
                throw new StepFailedException(_name, step.Name, e);
            }

            var timing = new StepTiming(step.Name, clock.Elapsed);
            timings.Add(timing);
            observer?.StepFinished(timing);
            logger.LogInformation("{Pipeline}: {Step} done in {Elapsed:0.0} s", _name, step.Name, clock.Elapsed.TotalSeconds);
        }

        return timings;
    }

    private static List<PipelineStep> Order(string name, IReadOnlyList<PipelineStep> steps)
    {
        var byName = new Dictionary<string, PipelineStep>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (!byName.TryAdd(step.Name, step))
            {
                throw new InvalidOperationException($"{name}: step '{step.Name}' is declared twice");
            }
        }

        foreach (var step in steps)
        {
            foreach (var dependency in step.DependsOn.Where(d => !byName.ContainsKey(d)))
            {
                throw new InvalidOperationException($"{name}: step '{step.Name}' depends on unknown step '{dependency}'");
            }
        }

        // Depth-first topological order, stable in declaration order; a grey node met again is a cycle.
        var ordered = new List<PipelineStep>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Visit(PipelineStep step, Stack<string> path)
        {
            if (state.TryGetValue(step.Name, out var done))
            {
                if (!done)
                {
                    throw new InvalidOperationException(
                        $"{name}: steps form a cycle: {string.Join(" → ", path.Reverse().SkipWhile(s => s != step.Name))} → {step.Name}");
                }

                return;
            }

            state[step.Name] = false;
            path.Push(step.Name);
            foreach (var dependency in step.DependsOn)
            {
                Visit(byName[dependency], path);
            }

            path.Pop();
            state[step.Name] = true;
            ordered.Add(step);
        }

        foreach (var step in steps)
        {
            Visit(step, new Stack<string>());
        }

        return ordered;
    }
}
