using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Minio.Renderers;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>Buckets, users and policies, created by the first member through mcli; runs again only when what it would do changes.</summary>
public static class MinioProvision
{
    /// <summary>How long the first member of a multi-node cluster waits for write quorum (peers may still be installing).</summary>
    public static readonly TimeSpan PeerDeadline = TimeSpan.FromMinutes(20);

    private static readonly FileSpec Private = new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>The step: the alias, <c>minio_buckets</c> and <c>minio_users</c> (bucket-limited users with their own policy).</summary>
    public static Step Step(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ScriptSteps.Once(
            "minio.provision",
            $"buckets {string.Join(", ", settings.Buckets.Select(b => b.Name))} and users {string.Join(", ", settings.Users.Select(u => $"{u.AccessKey} ({u.PolicyName})"))} on {settings.Endpoint}",
            async (c, t) => Script(await ConfigAsync(c, settings, t), await CommandsAsync(c, settings, t)),
            (c, _, t) => ApplyAsync(c, settings, t),
            (c, t) => VerifyAsync(c, settings, t));
    }

    /// <summary>The commands with every secret read from Credentials (or the seed).</summary>
    public static async Task<IReadOnlyList<ProcessSpec>> CommandsAsync(StepContext context, MinioSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var credentials = context.Node.Credentials;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in settings.Users)
        {
            users[user.AccessKey] = user.SecretKey ?? await credentials.GetAsync(user.SecretName, cancellationToken);
        }

        return Mcli.Provision(settings, users);
    }

    /// <summary>mcli's config file: the alias with the root credentials from Credentials (or the seed).</summary>
    public static async Task<string> ConfigAsync(StepContext context, MinioSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return MinioRenderer.McliConfig(settings, await context.Node.Credentials.GetAsync(MinioSettings.RootSecretName, cancellationToken));
    }

    private static async Task ApplyAsync(StepContext context, MinioSettings settings, CancellationToken cancellationToken)
    {
        var files = context.Machine.Files;
        var ca = await files.ReadAsync(CertificateSteps.CaCertificatePath, cancellationToken);
        if (settings.Https && ca is null)
        {
            throw new InstallException("minio.provision", $"the site CA ({CertificateSteps.CaCertificatePath}) is not on this node; mcli needs it to trust MinIO");
        }

        await files.EnsureDirectoryAsync(MinioSettings.McliDirectory, Private, cancellationToken);
        await files.EnsureDirectoryAsync($"{MinioSettings.McliDirectory}/certs/CAs", Private, cancellationToken);
        await files.EnsureDirectoryAsync($"{MinioSettings.McliDirectory}/policies", Private, cancellationToken);
        if (ca is not null)
        {
            await files.WriteAsync($"{MinioSettings.McliDirectory}/certs/CAs/ca.crt", ca, FileSpec.Config, cancellationToken);
        }

        await files.WriteAsync(Mcli.ConfigPath, await ConfigAsync(context, settings, cancellationToken), FileSpec.Secret, cancellationToken);
        foreach (var bucket in settings.Users.Select(u => u.Bucket).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await files.WriteAsync(Mcli.PolicyPath(bucket), MinioRenderer.BucketPolicy(bucket), FileSpec.Secret, cancellationToken);
        }

        if (settings.Members.Count > 1)
        {
            await context.Machine.Health.WaitForHttpsAsync("minio.service", settings.ClusterUri, CertificateSteps.CaCertificatePath, PeerDeadline, cancellationToken);
        }

        foreach (var command in await CommandsAsync(context, settings, cancellationToken))
        {
            var result = await context.Machine.Processes.RunAsync(command, cancellationToken);
            if (!Mcli.Settled(result))
            {
                throw Failed(command, result);
            }
        }
    }

    private static async Task VerifyAsync(StepContext context, MinioSettings settings, CancellationToken cancellationToken)
    {
        var listing = await context.Machine.Processes.RunAsync(Mcli.Command(["ls", MinioSettings.Alias]), cancellationToken);
        var missing = settings.Buckets.Where(b => !listing.StandardOutput.Contains($" {b.Name}/", StringComparison.Ordinal)).Select(b => b.Name).ToList();
        if (!listing.Succeeded || missing.Count > 0)
        {
            throw new InstallException("minio.provision", $"mcli ls {MinioSettings.Alias} does not show bucket(s) {string.Join(", ", missing)}: {listing.StandardError.Trim()}");
        }

        foreach (var user in settings.Users)
        {
            var info = await context.Machine.Processes.RunAsync(Mcli.Command(["admin", "user", "info", MinioSettings.Alias, user.AccessKey]), cancellationToken);
            if (!info.Succeeded || !info.StandardOutput.Contains(user.PolicyName, StringComparison.Ordinal))
            {
                throw new InstallException("minio.provision", $"user {user.AccessKey} does not exist with policy {user.PolicyName}: {(info.StandardOutput + info.StandardError).Trim()}");
            }
        }
    }

    /// <summary>What the step would write and run, secrets included: only its SHA-256 is kept, so a changed secret or list runs it again.</summary>
    private static string Script(string config, IReadOnlyList<ProcessSpec> commands) =>
        config + string.Join('\n', commands.Select(c => string.Join('\u001f', c.Arguments) + '\u001e' + c.StandardInput)) + "\n";

    private static ToolException Failed(ProcessSpec command, ProcessResult result)
    {
        var tail = command.Mask(string.Join('\n', (result.StandardError + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5)));
        return new ToolException("mcli", result.ExitCode, tail, $"{command.Display()} failed with code {result.ExitCode}: {tail}");
    }
}
