using System.Reflection;
using System.Reflection.Emit;

namespace Pigsty.Appliance.Testing;

/// <summary>Which namespaces of an assembly use which, read from its compiled types: signatures, base types, attributes and method bodies (IL).</summary>
public sealed class NamespaceGraph
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string root) => Root = root;

    /// <summary>The namespace whose sub-namespaces (and itself) are the nodes.</summary>
    public string Root { get; }

    /// <summary>Namespace → the other namespaces under <see cref="Root"/> it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges => _edges;

    /// <summary>Reads every type of <paramref name="assembly"/> in <paramref name="root"/> or below.</summary>
    public static NamespaceGraph Of(Assembly assembly, string root)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var graph = new NamespaceGraph(root);
        foreach (var type in assembly.GetTypes().Where(t => graph.Inside(t.Namespace)))
        {
            var from = type.Namespace!;
            var edges = graph.EdgesOf(from);
            foreach (var used in ReferencedTypes(type).SelectMany(Expand))
            {
                if (graph.Inside(used.Namespace) && used.Namespace != from)
                {
                    edges.Add(used.Namespace!);
                }
            }
        }

        return graph;
    }

    /// <summary>Every cycle's namespaces (strongly connected components of more than one namespace), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm: each component with more than one node is a set of namespaces that use each other.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in _edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    cycles.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal).Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return cycles;
    }

    /// <summary>A graph of the given edges, to test the cycle finder itself.</summary>
    public static NamespaceGraph FromEdges(string root, IEnumerable<(string From, string To)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var graph = new NamespaceGraph(root);
        foreach (var (from, to) in edges)
        {
            graph.EdgesOf(from).Add(to);
            graph.EdgesOf(to);
        }

        return graph;
    }

    private bool Inside(string? ns) => ns is not null && (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal));

    private SortedSet<string> EdgesOf(string ns)
    {
        if (!_edges.TryGetValue(ns, out var set))
        {
            _edges[ns] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var used in type.GetInterfaces().Concat(type.GetCustomAttributesData().Select(a => a.AttributeType)))
        {
            yield return used;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var used in BodyTypes(type, method))
            {
                yield return used;
            }
        }
    }

    /// <summary>The types a method body names: in member, type and token operands of its IL.</summary>
    private static IEnumerable<Type> BodyTypes(Type type, MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if (member is Type named)
                    {
                        yield return named;
                    }
                    else if (member?.DeclaringType is { } declaring)
                    {
                        yield return declaring;
                        if (member is MethodInfo called)
                        {
                            yield return called.ReturnType;
                            foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                            {
                                yield return argument;
                            }
                        }
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>A type and what it is made of: element types of arrays and references, generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type;
        if (type.IsConstructedGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }
}
