using System.Text;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Files;

/// <summary>
/// The file names apps may use: relative paths of segments separated by '/', each a name a file system can hold.
/// Nothing that could leave the app's directory passes: no absolute path (a leading '/' or '\', a drive or stream
/// ':'), no '\', no '.' or '..' segment, no empty segment; besides what every store can keep (<see cref="StorableText"/>:
/// no control character such as NUL, valid Unicode, at most <see cref="StorableText.MaxBytes"/> bytes in UTF-8).
/// </summary>
public static class FilePaths
{
    /// <summary>The separator of a path's segments, in app names and storage paths alike.</summary>
    public const char Separator = '/';

    /// <summary>The longest segment in UTF-8 bytes: what ext4, XFS and NTFS hold.</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>The most segments a path may have.</summary>
    public const int MaxSegments = 32;

    /// <summary>Throws INVALID_ARGUMENT naming <paramref name="field"/> unless <paramref name="path"/> is a file name apps may use.</summary>
    public static void EnsureValid(string path, string field)
    {
        StorableText.EnsureValid(path, field, "name the file");
        if (path[0] is Separator or '\\')
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(path)} is an absolute path; name the file relative to the store, as 'reports/2026.csv'.");
        }

        if (path.Contains(':', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(path)} contains ':' or '\\'; separate directories with '/' only.");
        }

        var segments = path.Split(Separator);
        if (segments.Length > MaxSegments)
        {
            throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(path)} has {segments.Length} segments, over the maximum of {MaxSegments}.");
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw RuntimeException.InvalidArgument(
                    $"{field} {Quoted.Of(path)} has an empty, '.' or '..' segment; name the file by a path without them, as 'reports/2026.csv'.");
            }

            var bytes = Encoding.UTF8.GetByteCount(segment);
            if (bytes > MaxSegmentBytes)
            {
                throw RuntimeException.InvalidArgument($"{field} {Quoted.Of(path)} has a segment of {bytes} bytes in UTF-8, over the maximum of {MaxSegmentBytes}.");
            }
        }
    }
}
