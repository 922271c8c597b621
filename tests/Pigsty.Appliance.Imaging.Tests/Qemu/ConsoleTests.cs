using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>Console lines as OVMF, GRUB, Linux and systemd really print them.</summary>
public sealed class ConsoleTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[01;01H\u001b[=3h\u001b[2J\u001b[01;01HBdsDxe: loading Boot0001", "BdsDxe: loading Boot0001")]
    [InlineData("\u001b[0m\u001b[30m\u001b[40m\u001b[1;1H  Booting `Pigsty'\r", "  Booting `Pigsty'")]
    [InlineData("\u001b]0;title\u0007text\u001b(B", "text")]
    [InlineData("[  OK  ] Started \u001b[0;1;39msystemd-journald.service\u001b[0m.", "[  OK  ] Started systemd-journald.service.")]
    [InlineData("\u001b7\u001bc\u0008\u0000", "")]
    [InlineData("\ufffd\ufffd\ufffdĿ     Use the ^ and v keys", "Ŀ     Use the ^ and v keys")]
    public void Escape_sequences_and_control_characters_are_removed(string raw, string plain) =>
        Assert.Equal(plain, ConsoleText.Plain(raw));

    [Theory]
    [InlineData("BdsDxe: starting Boot0001 \"UEFI Misc Device\" from PciRoot(0x0)/Pci(0x2,0x0)", BootPhase.Firmware)]
    [InlineData("                             GNU GRUB  version 2.06-13+deb12u2", BootPhase.Bootloader)]
    [InlineData("Loading Linux /vmlinuz ...", BootPhase.Bootloader)]
    [InlineData("[    0.000000] Linux version 6.1.0-40-amd64 (debian-kernel@lists.debian.org) (gcc-12)", BootPhase.Kernel)]
    [InlineData("[    4.251034] systemd[1]: systemd 252.39-1~deb12u1 running in system mode (+PAM +AUDIT)", BootPhase.Userspace)]
    [InlineData("Welcome to Debian GNU/Linux 12 (bookworm)!", BootPhase.Userspace)]
    [InlineData("PIGSTY-MARKER booted", BootPhase.Marker)]
    [InlineData("pigsty login: ", BootPhase.Login)]
    public void Phases_are_recognised(string line, BootPhase phase) =>
        Assert.Equal(phase, ConsolePhases.Recognize(line, "PIGSTY-MARKER"));

    [Theory]
    // The second boot of BootTest full (full.boot2.serial.log): systemd's next status line joined the prompt before it idled.
    [InlineData("\r\u001b[0mpg-meta-1 login: \u001b[0;32m[  OK  ] Started \u001b[0;1;39mdnsmasq.service\u001b[0m - DNS for the site's names (Pigsty).\r")]
    [InlineData("pigsty login: [   50.890556] powernow_k8: Power state transitions not supported")]
    [InlineData("\u001b[0m\u001b[H\u001b[Jpg-meta-1 login: \r")]
    public void The_login_prompt_is_recognised_with_escapes_and_what_follows_it_on_the_line(string raw) =>
        Assert.Equal(BootPhase.Login, ConsolePhases.Recognize(ConsoleText.Plain(raw), marker: null));

    [Theory]
    [InlineData("Portal:      http://10.0.2.15/ (login: the seed's nginx_users, else admin with nginx_admin_password)")]
    [InlineData("         Starting systemd-logind.service - User Login Management...")]
    [InlineData("Begin: Loading essential drivers ... done.")]
    [InlineData("[    1.234567] Run /init as init process")]
    [InlineData("PIGSTY-MARKER")]
    public void Other_lines_are_no_phase(string line) =>
        Assert.Null(ConsolePhases.Recognize(line, marker: null));

    [Fact]
    public void The_timeline_keeps_the_first_sighting_of_each_phase()
    {
        var timeline = new BootTimeline();

        Assert.True(timeline.Record(BootPhase.Kernel, new ConsoleLine(TimeSpan.FromSeconds(5.25), "Linux version 1")));
        Assert.False(timeline.Record(BootPhase.Kernel, new ConsoleLine(TimeSpan.FromSeconds(9), "Linux version 2")));
        Assert.True(timeline.Record(BootPhase.Bootloader, new ConsoleLine(TimeSpan.FromSeconds(1.5), "GNU GRUB")));
        Assert.True(timeline.Record(BootPhase.Marker, new ConsoleLine(TimeSpan.FromSeconds(20), "MARK")));

        Assert.Equal("Linux version 1", timeline[BootPhase.Kernel]!.Text);
        Assert.Null(timeline[BootPhase.Userspace]);
        Assert.Equal(TimeSpan.FromSeconds(14.75), timeline.Between(BootPhase.Kernel, BootPhase.Marker));
        Assert.Null(timeline.Between(BootPhase.Kernel, BootPhase.Login));
        Assert.Equal("bootloader 1.5 s, kernel 5.3 s, marker 20.0 s", timeline.ToString());
    }
}
