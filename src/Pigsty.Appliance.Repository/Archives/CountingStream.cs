using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>A read-only view of a decompressing stream that stops with an <see cref="IntegrityException"/> once more than a limit has come out.</summary>
/// <remarks>A hostile archive must cost bounded time, and streaming keeps its memory and disk bounded too.</remarks>
internal sealed class ExpansionLimitStream(Stream inner, long limit, string message) : Stream
{
    private long _total;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _total += read;
        return _total > limit ? throw new IntegrityException(message) : read;
    }
}
