using System.Text;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>A vmalert rule file a module ships: <c>Modules/&lt;X&gt;/Rules/&lt;name&gt;.yml</c>, embedded, installed under /etc/pigsty/rules.</summary>
/// <param name="Resource">The file's path in the source tree, which is also its embedded resource name.</param>
public sealed record AlertRuleFile(string Resource)
{
    /// <summary>The rule file <paramref name="fileName"/> of the module folder <paramref name="module"/> (e.g. Etcd, etcd.yml).</summary>
    public static AlertRuleFile Of(string module, string fileName) => new($"{RulesPrefix}{module}/Rules/{fileName}");

    /// <summary>Where the embedded rule files' resource names start (the csproj names them after their path).</summary>
    public const string RulesPrefix = "Modules/";

    /// <summary>The file name on the node, e.g. <c>etcd.yml</c>.</summary>
    public string FileName => Resource[(Resource.LastIndexOf('/') + 1)..];

    /// <summary>Where vmalert finds it on an INFRA node.</summary>
    public string Path => $"{NodePaths.AlertRules}/{FileName}";

    /// <summary>The rules as shipped (UTF-8, \n line endings).</summary>
    public string Text
    {
        get
        {
            // A missing resource is a build mistake (the csproj's EmbeddedResource glob), never a user's: tests read every file.
            using var stream = typeof(AlertRuleFile).Assembly.GetManifestResourceStream(Resource)
                ?? throw new InvalidOperationException($"alert rule file {Resource} is not embedded in {typeof(AlertRuleFile).Assembly.GetName().Name}");
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            return reader.ReadToEnd();
        }
    }

    /// <summary>Every rule file embedded in the installer, whether a module declares it or not (tests compare the two).</summary>
    public static IReadOnlyList<string> Embedded =>
        typeof(AlertRuleFile).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(RulesPrefix, StringComparison.Ordinal) && n.Contains("/Rules/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
}
