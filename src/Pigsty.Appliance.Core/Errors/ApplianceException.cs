namespace Pigsty.Appliance.Core.Errors;

/// <summary>Base of every error a user can cause or meet; carries the exit code the CLI returns.</summary>
public abstract class ApplianceException : Exception
{
    protected ApplianceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The exit code the CLI maps this error to.</summary>
    public abstract ExitCode ExitCode { get; }
}
