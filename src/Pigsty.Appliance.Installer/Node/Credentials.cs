using System.Security.Cryptography;
using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>Secrets: a seed-given value is used as given; anything else is generated once (CSPRNG) and kept root-only; both are masked in reports.</summary>
/// <remarks>Generated secrets live in <see cref="NodeLayout.CredentialsFile"/>, mode 0600.</remarks>
public sealed class Credentials(IFileSystem files, VarSet vars, string path = NodeLayout.CredentialsFile)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly HashSet<string> _handedOut = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _stored;

    /// <summary>The secret named <paramref name="name"/> (an inventory variable name such as <c>pg_admin_password</c>).</summary>
    public async Task<string> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (vars.Find(name) is { } given)
        {
            lock (_handedOut)
            {
                _handedOut.Add(given.AsString());
            }

            return given.AsString();
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            _stored ??= await ReadAsync(files, path, cancellationToken);
            if (!_stored.TryGetValue(name, out var value))
            {
                value = Generate(24);
                _stored[name] = value;

                // Persist before anyone uses the secret, so a power loss cannot leave a service with a lost password.
                await files.WriteAsync(path, Render(_stored), FileSpec.Secret, cancellationToken);
            }

            return value;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// <paramref name="text"/> with every secret this node knows replaced by <c>***</c>: those in credentials.yml, those handed out,
    /// and every secret the seed gives this node (any <c>*password</c>, <c>*secret_key</c>… at any depth): for what leaves the
    /// node's root-only files, such as step errors with journal lines that reach status.json and the seed volume.
    /// </summary>
    public async Task<string> MaskAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string> known;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _stored ??= await ReadAsync(files, path, cancellationToken);
            known = [.. _stored.Values];
        }
        finally
        {
            _lock.Release();
        }

        lock (_handedOut)
        {
            known.AddRange(_handedOut);
        }

        known.AddRange(InventorySecrets.In(vars).Select(s => s.Text));
        return SecretMask.Apply(text, known);
    }

    /// <summary>A random password of letters and digits without look-alikes.</summary>
    public static string Generate(int length) => new(RandomNumberGenerator.GetItems<char>(Alphabet, length));

    /// <summary>
    /// Puts the site's shared secrets into credentials.yml (0600), over any value generated here before: every node of the site then
    /// hands out the same values. Written before planning, so the plan sees them; a seed-given value still wins over both.
    /// </summary>
    public static async Task ImportAsync(IFileSystem files, IReadOnlyDictionary<string, string> secrets, CancellationToken cancellationToken,
        string path = NodeLayout.CredentialsFile)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(secrets);
        var stored = await ReadAsync(files, path, cancellationToken);
        foreach (var (name, value) in secrets)
        {
            stored[name] = value;
        }

        await files.WriteAsync(path, Render(stored), FileSpec.Secret, cancellationToken);
    }

    /// <summary>Reads a credentials file written by <see cref="Render"/> (name: 'value' lines), or an empty set when there is none.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(IFileSystem files, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var text = await files.ReadAsync(path, cancellationToken);
        return text is null ? new Dictionary<string, string>(StringComparer.Ordinal) : Parse(text, path);
    }

    /// <summary>Parses a credentials file's text (also the site directory's secrets.yml); errors name <paramref name="path"/>.</summary>
    public static Dictionary<string, string> Parse(string text, string path) =>
        YamlReader.Parse(text, path) is YamlMapping mapping
            ? mapping.Entries.ToDictionary(e => e.Key, e => e.Value.AsString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The file's text: a comment, then one <c>name: 'value'</c> line per secret, sorted by name.</summary>
    public static string Render(IReadOnlyDictionary<string, string> secrets,
        string header = "# Generated by pigsty-appliance at first boot. Root-only; keep a copy somewhere safe.")
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var text = new StringBuilder(header).Append('\n');
        foreach (var (name, value) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(": '").Append(value).Append("'\n");
        }

        return text.ToString();
    }
}
