namespace Pigsty.Appliance.Installer.Parameters;

/// <summary>What the appliance does with a Pigsty parameter that an inventory sets.</summary>
public enum ParameterStatus
{
    /// <summary>Read and acted on as Pigsty does.</summary>
    Honoured,

    /// <summary>Accepted but not acted on: a warning names where it is set (an error with <c>--strict</c>).</summary>
    NotSupported,

    /// <summary>Ignoring it would be unsafe: an error names where it is set.</summary>
    Rejected,
}
