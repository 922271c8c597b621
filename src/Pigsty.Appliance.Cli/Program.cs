using Pigsty.Appliance.Cli;

return await CliApp.RunAsync(args, CliIo.Standard(), CancellationToken.None);
