using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Fetch;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>What a person watching a bundle build hears about: the CLI turns it into progress bars or plain lines.</summary>
public interface IBundleObserver : IProgress<FetchProgress>
{
    /// <summary>A pipeline step begins.</summary>
    void Step(string name, string detail);

    /// <summary>One signed index was fetched, verified and parsed.</summary>
    void IndexLoaded(AptIndex index);

    /// <summary>Something the user should read (lock drift, provider choices).</summary>
    void Warn(string message);
}
