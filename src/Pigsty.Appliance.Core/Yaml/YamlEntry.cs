using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>One key and value of a mapping; <see cref="KeyLocation"/> is where the key is written.</summary>
public sealed record YamlEntry(string Key, SourceLocation KeyLocation, YamlValue Value);
