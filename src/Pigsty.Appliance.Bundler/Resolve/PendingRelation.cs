namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>A relation group of a selected package still to be satisfied.</summary>
internal sealed record PendingRelation(SelectionNode Owner, RelationKind Kind, RelationGroup Group);
