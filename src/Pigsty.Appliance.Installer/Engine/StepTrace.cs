namespace Pigsty.Appliance.Installer.Engine;

/// <summary>What one run of one step waited on and said: its readiness waits (with their length) and its notes for people.</summary>
/// <remarks>The engine makes one per step run; <paramref name="onNote"/> hands each note on as it is made (the console, status.json).</remarks>
public sealed class StepTrace(Func<string, CancellationToken, Task>? onNote = null)
{
    private readonly Lock _gate = new();
    private readonly List<string> _notes = [];
    private readonly List<StepWait> _waits = [];

    /// <summary>The notes so far, in order.</summary>
    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_gate)
            {
                return [.. _notes];
            }
        }
    }

    /// <summary>The readiness waits so far, in order.</summary>
    public IReadOnlyList<StepWait> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    /// <summary>Says something about the step that a person (or a boot test) should see, e.g. what a package step found installed.</summary>
    public async Task NoteAsync(string note, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _notes.Add(note);
        }

        if (onNote is not null)
        {
            await onNote(note, cancellationToken);
        }
    }

    /// <summary>Records a readiness wait that ended (successfully or not).</summary>
    public void Waited(string what, TimeSpan elapsed, bool succeeded)
    {
        lock (_gate)
        {
            _waits.Add(new StepWait(what, Math.Round(elapsed.TotalSeconds, 2), succeeded));
        }
    }
}
