namespace Pigsty.Appliance.Installer.Engine;

/// <summary>What happened to a step in one run.</summary>
public enum StepOutcome
{
    /// <summary>Its check said the node already had it: nothing changed.</summary>
    AlreadyDone,

    /// <summary>It changed the node and its verification passed.</summary>
    Applied,

    /// <summary>It failed; the run stopped here and the next run resumes here.</summary>
    Failed,

    /// <summary>It was stopped unfinished because another step failed; like a power cut, the next run does it again.</summary>
    Interrupted,
}
