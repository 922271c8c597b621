namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>One thing wrong with a GPT, with the structure it was found in (e.g. <c>primary header (LBA 1)</c>).</summary>
public sealed record GptProblem(string Where, string Message)
{
    /// <summary>Formats as <c>where: message</c>.</summary>
    public override string ToString() => $"{Where}: {Message}";
}
