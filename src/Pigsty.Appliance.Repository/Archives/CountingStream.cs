using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Repository.Archives;

/// <summary>A read-only view of a (decompressing) stream that counts what comes out of it, and stops with an <see cref="IntegrityException"/>
/// carrying <c>message</c> once more than <c>limit</c> bytes have.</summary>
/// <remarks>A hostile archive must cost bounded time, and streaming keeps its memory and disk bounded too.</remarks>
internal sealed class CountingStream(Stream inner, long limit = long.MaxValue, string message = "") : Stream
{
    /// <summary>The bytes read through this stream so far.</summary>
    public long Count { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Count;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Add(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Add(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Add(int read)
    {
        Count += read;
        return Count > limit ? throw new IntegrityException(message) : read;
    }
}
