using Pigsty.Appliance.Bundler.Apt;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One selected package and why it is there.</summary>
/// <param name="Entry">The chosen version's index entry (<see cref="IndexedPackage.ReadRecord"/> gives the whole record).</param>
/// <param name="Kind">How it entered the selection.</param>
/// <param name="RequiredBy">The selected package whose relation pulled it in; null for requested and base packages.</param>
/// <param name="Relation">That relation as written (e.g. <c>libevent-2.1-7 (&gt;= 2.1.8)</c>); null for roots.</param>
/// <param name="Note">How a choice was made (alternatives, virtual providers), or null when there was none to make.</param>
/// <param name="Chain">Package names from the request (or base) down to this package.</param>
public sealed record ResolvedPackage(
    IndexedPackage Entry,
    SelectionKind Kind,
    string? RequiredBy,
    string? Relation,
    string? Note,
    IReadOnlyList<string> Chain)
{
    /// <summary>Package name.</summary>
    public string Name => Entry.Name;

    /// <summary>The reason in one line, e.g. <c>pgbouncer → libevent-2.1-7 (Depends: libevent-2.1-7 (&gt;= 2.1.8))</c>.</summary>
    public string Why => Kind switch
    {
        SelectionKind.Requested => "requested",
        SelectionKind.RequiredBase => "required base (Essential or Priority: required)",
        _ => $"{string.Join(" → ", Chain)} ({Kind switch
        {
            SelectionKind.PreDepends => "Pre-Depends",
            SelectionKind.Recommends => "Recommends",
            _ => "Depends",
        }}: {Relation}){(Note is null ? "" : $"; {Note}")}",
    };
}
