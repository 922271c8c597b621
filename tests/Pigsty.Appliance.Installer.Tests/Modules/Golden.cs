using System.Runtime.CompilerServices;
using System.Text;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Compares rendered text with a checked-in file beside the test; PIGSTY_UPDATE_GOLDEN=1 rewrites the file instead.</summary>
internal static class Golden
{
    public static void Assert(string actual, string module, string name, [CallerFilePath] string caller = "")
    {
        var relative = Path.Combine("Modules", module, "Golden", name);
        if (Environment.GetEnvironmentVariable("PIGSTY_UPDATE_GOLDEN") == "1")
        {
            // The compiler tells us where the test's source is: the golden file goes beside it, in the source tree.
            var target = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, actual, new UTF8Encoding(false));
            return;
        }

        var path = TestData.Path(relative);
        Xunit.Assert.True(File.Exists(path), $"golden file {relative} is missing; run with PIGSTY_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path);
        Xunit.Assert.Equal(expected, actual);
        Xunit.Assert.DoesNotContain('\r', actual);
    }
}
