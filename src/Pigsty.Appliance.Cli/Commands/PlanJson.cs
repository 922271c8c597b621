using System.Text.Json.Nodes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>install --plan --json</c>: the plan as one document, the same facts <see cref="InstallPlan.Describe"/> prints.</summary>
internal static class PlanJson
{
    public static JsonObject Of(InstallPlan plan) => new()
    {
        ["node"] = plan.Node.Address.ToString(),
        ["hostname"] = plan.Node.Hostname,
        ["warnings"] = CliJson.Problems(plan.Warnings),
        ["modules"] = new JsonArray([.. plan.Modules.Select(module => (JsonNode)new JsonObject
        {
            ["module"] = module.Module,
            ["skipped"] = module.Skipped,
            ["skip_reason"] = module.SkipReason,
            ["notes"] = CliJson.Strings(module.Notes),
            ["steps"] = new JsonArray([.. module.Steps.Select(step => (JsonNode)new JsonObject
            {
                ["id"] = step.Id,
                ["title"] = step.Title,
                ["after"] = CliJson.Strings(plan.Graph.Nodes.FirstOrDefault(n => n.Step.Id == step.Id) is { } node
                    ? node.Before.Select(b => plan.Graph.Nodes[b].Step.Id)
                    : []),
            })]),
        })]),
    };
}
