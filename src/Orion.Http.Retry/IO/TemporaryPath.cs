using System.Diagnostics;
using System.Security.Cryptography;

namespace Orion.Http.Retry;

/// <summary>
/// A new, empty temporary file with a unique name, for code that must open the file again by name
/// while it exists. The file is closed once created, and disposing deletes it.
/// </summary>
/// <remarks>
/// <para>
/// The file is created with <see cref="FileMode.CreateNew"/>, so an existing file, directory or
/// symbolic link of the same name is never reused or followed: on a name collision the
/// constructor draws another name. On Unix the file is created with mode 0600, readable and
/// writable only by the current user. On Windows it inherits the directory's access rules; the
/// default directory, the user's temporary folder, is private to that user.
/// </para>
/// <para>
/// Disposing deletes whatever file is at <see cref="Path"/> at that moment, so a caller that moves
/// the file away and puts another file under the same name loses that file.
/// </para>
/// </remarks>
public sealed class TemporaryPath : IDisposable, IAsyncDisposable
{
    /// <summary>The characters of the random part of a name: lowercase, so that names stay unique on case-insensitive file systems.</summary>
    private const string NameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The length of the random part of a name: 36^16 names, about 82 bits.</summary>
    private const int RandomLength = 16;

    /// <summary>The number of names drawn before the constructor gives up.</summary>
    private const int MaxNameAttempts = 100;

    private readonly bool _delete;
    private int _disposed;

    /// <summary>
    /// Creates a new, empty file with a unique name and closes it.
    /// </summary>
    /// <param name="suffix">The end of the file name, such as <c>".json"</c>. Default: none.</param>
    /// <param name="prefix">The start of the file name. Default: <c>"tmp"</c>.</param>
    /// <param name="directory">
    /// The directory to create the file in, which must exist. Default: <see langword="null"/>, the
    /// system temporary folder (<see cref="System.IO.Path.GetTempPath"/>).
    /// </param>
    /// <param name="delete">Whether disposing deletes the file. Default: <see langword="true"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="suffix"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="suffix"/> or <paramref name="prefix"/> contains a directory separator or a
    /// character that is invalid in file names, or <paramref name="directory"/> is empty.
    /// </exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="IOException">No unique name was found after 100 attempts, or the file could not be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The current user may not create files in the directory.</exception>
    public TemporaryPath(string suffix = "", string prefix = "tmp", string? directory = null, bool delete = true)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        ArgumentNullException.ThrowIfNull(prefix);
        ValidateNamePart(suffix, nameof(suffix));
        ValidateNamePart(prefix, nameof(prefix));
        if (directory is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        }

        var folder = System.IO.Path.GetFullPath(directory ?? System.IO.Path.GetTempPath());
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"The directory '{folder}' for the temporary file does not exist. Create it first, or pass no directory to use the system temporary folder.");
        }

        _delete = delete;
        Path = CreateUniqueFile(folder, prefix, suffix);
    }

    /// <summary>Gets the full path of the file.</summary>
    public string Path { get; }

    /// <summary>
    /// Deletes the file when the instance was created with <c>delete</c> set and the file still
    /// exists. A file that the caller already deleted or moved is no error. Calling it again does
    /// nothing.
    /// </summary>
    /// <exception cref="IOException">The file exists but could not be deleted, such as while another process has it open on Windows.</exception>
    /// <exception cref="UnauthorizedAccessException">The current user may not delete the file.</exception>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !_delete)
        {
            return;
        }

        try
        {
            // File.Delete does nothing when the file is missing, but throws when its directory is missing.
            File.Delete(Path);
        }
        catch (DirectoryNotFoundException)
        {
            // The caller removed or renamed the directory, so the file is gone from this path.
        }
    }

    /// <summary>
    /// Deletes the file as <see cref="Dispose"/> does. The deletion itself is synchronous, because
    /// the file system offers no asynchronous delete.
    /// </summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Returns the full path of the file.</summary>
    /// <returns>The value of <see cref="Path"/>.</returns>
    public override string ToString() => Path;

    private static void ValidateNamePart(string value, string parameterName)
    {
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        foreach (var c in value)
        {
            // Both separators are rejected on every platform, so that a prefix or suffix means the
            // same on Windows and Unix.
            if (c is '/' or '\\' || Array.IndexOf(invalid, c) >= 0)
            {
                throw new ArgumentException(
                    $"The {parameterName} '{value}' contains '{c}', a directory separator or a character that is invalid in file names. Pass only file-name characters; choose the folder with the directory argument.",
                    parameterName);
            }
        }
    }

    private static string CreateUniqueFile(string folder, string prefix, string suffix)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        for (var attempt = 1; attempt <= MaxNameAttempts; attempt++)
        {
            var name = prefix + RandomNumberGenerator.GetString(NameCharacters, RandomLength) + suffix;
            var path = System.IO.Path.Combine(folder, name);
            try
            {
                using (new FileStream(path, options))
                {
                }

                return path;
            }
            catch (IOException exception) when (System.IO.Path.Exists(path))
            {
                // Another file, directory or link took the name, so another name is drawn.
                // Path.Exists is true for a dangling symbolic link too, which CreateNew refuses.
                if (attempt == MaxNameAttempts)
                {
                    throw new IOException(
                        $"No unused name for a temporary file was found in '{folder}' after {MaxNameAttempts} attempts. Choose another prefix, suffix or directory.",
                        exception);
                }
            }
        }

        throw new UnreachableException();
    }
}
