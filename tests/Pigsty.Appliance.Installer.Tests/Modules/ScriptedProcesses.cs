using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>A process runner that records every command and answers from a script, so steps that run tools are tested without them.</summary>
internal sealed class ScriptedProcesses : IProcessRunner
{
    private readonly List<Func<ProcessSpec, ProcessResult?>> _answers = [];

    public List<ProcessSpec> Runs { get; } = [];

    /// <summary>Command lines run so far (program and arguments), for assertions.</summary>
    public IEnumerable<string> Lines => Runs.Select(r => string.Join(' ', new[] { r.FileName }.Concat(r.Arguments)));

    /// <summary>Answers commands <paramref name="match"/> accepts; later answers win over earlier ones.</summary>
    public void On(Func<ProcessSpec, bool> match, Func<ProcessSpec, ProcessResult> answer) =>
        _answers.Insert(0, spec => match(spec) ? answer(spec) : null);

    public static ProcessResult Ok(string stdout = "") => new(0, stdout, "", TimeSpan.Zero);

    public static ProcessResult Fail(int code, string stderr) => new(code, "", stderr, TimeSpan.Zero);

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        Runs.Add(spec);
        var result = _answers.Select(a => a(spec)).FirstOrDefault(r => r is not null) ?? Ok();
        return Task.FromResult(result);
    }
}
