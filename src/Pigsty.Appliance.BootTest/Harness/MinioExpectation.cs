namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>What the seed asks of MINIO: its buckets and users (with the policy each must have), and whether pgBackRest backs up into it.</summary>
/// <param name="BackupPrefix">When pgBackRest uses MinIO: <c>bucket/path/backup/stanza/</c>, where its backup.info must appear; else null.</param>
public sealed record MinioExpectation(IReadOnlyList<string> Buckets, IReadOnlyList<(string AccessKey, string Policy)> Users, string? BackupPrefix);
