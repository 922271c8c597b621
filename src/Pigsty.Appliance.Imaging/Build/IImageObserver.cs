using Pigsty.Appliance.Core.Pipelines;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>What a person watching an image build hears about: each stage's start and end, what it does, and the conversions'
/// percentages; the CLI turns it into progress bars or plain lines.</summary>
public interface IImageObserver : IPipelineObserver, IProgress<ConvertProgress>
{
    /// <summary>A line about what a stage does or found.</summary>
    void Say(string line);
}
