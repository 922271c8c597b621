using Pigsty.Appliance.Cli;
using Pigsty.Appliance.CommandLine;

return await CliApp.RunAsync(args, CliIo.Standard(), CancellationToken.None);
