namespace Pigsty.Appliance.Installer.Shared;

/// <summary>A certificate and its private key, both PEM.</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem);
