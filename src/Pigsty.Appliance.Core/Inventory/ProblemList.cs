using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Collects input problems so that one run reports all of them, in file order.</summary>
internal sealed class ProblemList
{
    private readonly List<InputProblem> _items = [];

    public int Count => _items.Count;

    public void Add(InputProblem problem) => _items.Add(problem);

    public void Add(InputException error) => _items.AddRange(error.Problems);

    /// <summary>Runs <paramref name="read"/>; an input error is recorded and null returned.</summary>
    public T? Run<T>(Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (InputException e)
        {
            _items.AddRange(e.Problems);
            return null;
        }
    }

    /// <summary>Runs <paramref name="check"/>; an input error is recorded.</summary>
    public void Run(Action check)
    {
        try
        {
            check();
        }
        catch (InputException e)
        {
            _items.AddRange(e.Problems);
        }
    }

    public IReadOnlyList<InputProblem> Sorted() =>
        _items.Distinct().OrderBy(p => p.Location.Line).ThenBy(p => p.Location.Column).ToList();
}
