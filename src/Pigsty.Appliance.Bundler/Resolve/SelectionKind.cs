namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>Why a package entered the selection.</summary>
public enum SelectionKind
{
    /// <summary>It was requested by name.</summary>
    Requested,

    /// <summary>It is Essential or Priority: required, and the required base was asked for.</summary>
    RequiredBase,

    /// <summary>A selected package Pre-Depends on it.</summary>
    PreDepends,

    /// <summary>A selected package Depends on it.</summary>
    Depends,

    /// <summary>A selected package Recommends it, and its request follows Recommends.</summary>
    Recommends,
}
