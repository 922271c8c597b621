using Pigsty.Appliance.BootTest;
using Pigsty.Appliance.CommandLine;

return await BootTestCommand.RunAsync(args, CliIo.Standard(), CancellationToken.None);
