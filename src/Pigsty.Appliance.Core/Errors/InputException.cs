namespace Pigsty.Appliance.Core.Errors;

/// <summary>One problem in a user's file, with where it is and which field it concerns.</summary>
public sealed record InputProblem(SourceLocation Location, string Field, string Message)
{
    /// <summary>Formats as <c>file:line:col: field: message</c>.</summary>
    public override string ToString() =>
        Field.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Field}: {Message}";
}

/// <summary>A file the user wrote is invalid; lists every problem found, each with file, line and field.</summary>
public class InputException : ApplianceException
{
    public InputException(IReadOnlyList<InputProblem> problems)
        : base(string.Join('\n', problems.Select(p => p.ToString())))
    {
        if (problems.Count == 0)
        {
            throw new ArgumentException("an input error needs at least one problem", nameof(problems));
        }

        Problems = problems;
    }

    public InputException(InputProblem problem)
        : this([problem])
    {
    }

    public InputException(string file, string message)
        : this(new InputProblem(new SourceLocation(file, 0, 0), "", message))
    {
    }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<InputProblem> Problems { get; }

    public override ExitCode ExitCode => ExitCode.InvalidInput;
}
