using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and declares a version need
// on GLIBCXX_3.4.32, which Debian 12 (GCC 12) lacks, so the loader refuses the library. Only one symbol that
// nothing calls carries that version; marking the need VER_FLG_WEAK lets the loader accept the library.
// This task edits the copy in an output folder in place, never the NuGet cache, and is idempotent.
public sealed class WeakenElfVersionNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public string File { get; set; } = "";
    [Required] public string Versions { get; set; } = "";

    public override bool Execute()
    {
        var wanted = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
        var bytes = System.IO.File.ReadAllBytes(File);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
        {
            Log.LogError("{0} is not a 64-bit little-endian ELF file.", File);
            return false;
        }

        long sectionTable = BitConverter.ToInt64(bytes, 0x28);
        int entrySize = BitConverter.ToUInt16(bytes, 0x3A);
        int sectionCount = BitConverter.ToUInt16(bytes, 0x3C);
        int changed = 0;
        for (int section = 0; section < sectionCount; section++)
        {
            long header = sectionTable + (long)section * entrySize;
            if (BitConverter.ToUInt32(bytes, (int)header + 4) != ShtGnuVerneed) continue;

            long offset = BitConverter.ToInt64(bytes, (int)header + 24);
            int stringSection = (int)BitConverter.ToUInt32(bytes, (int)header + 40);
            int needCount = (int)BitConverter.ToUInt32(bytes, (int)header + 44);
            long strings = BitConverter.ToInt64(bytes, (int)(sectionTable + (long)stringSection * entrySize + 24));

            long need = offset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(bytes, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(bytes, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadString(bytes, strings + BitConverter.ToUInt32(bytes, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(bytes, (int)aux + 4);
                    if (Array.IndexOf(wanted, name) >= 0 && (flags & VerFlagWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(bytes, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(bytes, (int)need + 12);
            }
        }

        if (changed > 0)
        {
            System.IO.File.WriteAllBytes(File, bytes);
            Log.LogMessage(MessageImportance.High, "Marked {0} version need(s) weak in {1}.", changed, File);
        }
        return true;
    }

    private static string ReadString(byte[] bytes, long start)
    {
        long end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
