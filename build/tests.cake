// Runs the tests with TRX loggers into resultsDirectory and ends with one summary line: "N passed, N failed".
void RunTests(string configuration, string filter, string resultsDirectory)
{
    CleanDirectory(resultsDirectory);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Exception failure = null;
    try
    {
        DotNetTest(Paths.Solution, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            Filter = filter,
            ResultsDirectory = resultsDirectory,
            Loggers = new[] { "trx", "console;verbosity=normal" },
        });
    }
    catch (Exception e)
    {
        failure = e;
    }

    var (passed, failed, skipped) = CountResults(resultsDirectory);
    ReportFailures(resultsDirectory);
    Information($"{passed} passed, {failed} failed" + (skipped > 0 ? $" ({skipped} skipped)" : "") + $" in {clock.Elapsed.TotalMinutes:0.0} min ({filter})");
    if (failure != null || failed > 0)
    {
        throw new CakeException($"Test: {failed} failed", failure);
    }
    if (passed == 0)
    {
        throw new CakeException("Test: no test ran");
    }
}

(int Passed, int Failed, int Skipped) CountResults(string directory)
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in System.IO.Directory.GetFiles(directory, "*.trx", System.IO.SearchOption.AllDirectories))
    {
        var counters = System.Xml.Linq.XDocument.Load(trx).Descendants().First(e => e.Name.LocalName == "Counters");
        int Read(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
        passed += Read("passed");
        failed += Read("failed") + Read("error") + Read("timeout") + Read("aborted");
        skipped += Read("notExecuted");
    }
    return (passed, failed, skipped);
}

// CI keeps only the tail of the log: name every failed test and its message again just above the summary line.
void ReportFailures(string directory)
{
    foreach (var trx in System.IO.Directory.GetFiles(directory, "*.trx", System.IO.SearchOption.AllDirectories))
    {
        foreach (var result in System.Xml.Linq.XDocument.Load(trx).Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            var outcome = result.Attribute("outcome")?.Value;
            if (outcome == "Passed" || outcome == "NotExecuted")
            {
                continue;
            }
            var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
            var firstLines = string.Join(" | ", message.Split('\n').Take(6).Select(l => l.Trim()));
            Error($"FAILED {result.Attribute("testName")?.Value} ({outcome}, {result.Attribute("duration")?.Value}): {firstLines}");
        }
    }
}
