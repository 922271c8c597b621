using System.Text.Json;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>One JSON file per step under the state directory, written atomically after the step settles.</summary>
public sealed class StepJournal(IFileSystem files, string directory = NodeLayout.StepJournal)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Records a step's outcome.</summary>
    public Task RecordAsync(StepRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return files.WriteAsync(PathOf(record.Id), JsonSerializer.Serialize(record, Json) + "\n", FileSpec.Config, cancellationToken);
    }

    /// <summary>The last recorded outcome of a step, or null when it never settled.</summary>
    public async Task<StepRecord?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var text = await files.ReadAsync(PathOf(id), cancellationToken);
        try
        {
            return text is null ? null : JsonSerializer.Deserialize<StepRecord>(text, Json);
        }
        catch (JsonException)
        {
            // A journal entry torn by a power loss only means the step runs its check again.
            return null;
        }
    }

    private string PathOf(string id) => $"{directory}/{id}.json";
}
