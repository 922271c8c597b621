namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>One member of an ar archive: a name of at most 16 characters and its content (read to its end, seekable for its length).</summary>
public sealed record ArMember(string Name, Stream Content);
