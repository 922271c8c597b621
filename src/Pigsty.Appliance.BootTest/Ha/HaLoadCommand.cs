using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// <c>pigsty-boottest ha-load ACTION</c> (hidden): the HA run starts it inside its network namespace, where the guests' addresses
/// are, to write, read, load and list through a node's or the VIP's HAProxy port. Prints JSON; the password is read from PGPASSWORD.
/// </summary>
internal static class HaLoadCommand
{
    /// <summary>The subcommand's name.</summary>
    public const string Name = "ha-load";

    /// <summary>The actions.</summary>
    public static readonly IReadOnlyList<string> Actions = ["write", "read", "load", "present"];

    /// <summary>The hidden subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var action = new Argument<string>("action") { Description = "write, read, load or present" };
        action.AcceptOnlyFromAmong([.. Actions]);
        var host = new Option<string>("--host") { Required = true };
        var port = new Option<int>("--port") { Required = true };
        var user = new Option<string>("--user") { DefaultValueFactory = _ => HaSite.User };
        var database = new Option<string>("--database") { DefaultValueFactory = _ => HaSite.Database };
        var marker = new Option<string>("--marker") { Description = "write/read: the rows' marker" };
        var run = new Option<string>("--run") { Description = "load/present: the load's name" };
        var maxCommits = new Option<int>("--max-commits") { DefaultValueFactory = _ => 20000 };
        var maxSeconds = new Option<int>("--max-seconds") { DefaultValueFactory = _ => 300 };
        var command = new Command(Name, "Writes, reads and loads PostgreSQL for the ha run, from inside its network namespace")
        {
            action, host, port, user, database, marker, run, maxCommits, maxSeconds,
        };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
        {
            context.Configure(parse);
            var password = Environment.GetEnvironmentVariable("PGPASSWORD")
                ?? throw new UsageException("ha-load reads the password from PGPASSWORD, which is not set");
            var load = new HaLoad(parse.GetRequiredValue(host), parse.GetValue(port), parse.GetRequiredValue(user), password,
                parse.GetRequiredValue(database), context.Io.Out);
            string Need(Option<string> option) => parse.GetValue(option) ?? throw new UsageException($"ha-load {parse.GetValue(action)} needs {option.Name}");
            return parse.GetRequiredValue(action) switch
            {
                "write" => await load.WriteAsync(Need(marker), cancellationToken),
                "read" => await load.ReadAsync(Need(marker), cancellationToken),
                "load" => await load.LoadAsync(Need(run), parse.GetValue(maxCommits), TimeSpan.FromSeconds(parse.GetValue(maxSeconds)), cancellationToken),
                _ => await load.PresentAsync(Need(run), cancellationToken),
            };
        });
        return command;
    }
}
