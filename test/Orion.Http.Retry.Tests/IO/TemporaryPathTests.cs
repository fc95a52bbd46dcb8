namespace Orion.Http.Retry.Tests.IO;

public class TemporaryPathTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "orion-temporary-path-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void Constructor_Defaults_CreatesEmptyFileInTempFolder()
    {
        using var temporary = new TemporaryPath();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(temporary.Path), Is.True);
            Assert.That(new FileInfo(temporary.Path).Length, Is.Zero);
            Assert.That(Path.GetDirectoryName(temporary.Path), Is.EqualTo(Path.GetFullPath(Path.GetTempPath()).TrimEnd(Path.DirectorySeparatorChar)));
            Assert.That(Path.GetFileName(temporary.Path), Does.StartWith("tmp"));
        });
    }

    [Test]
    public void Constructor_FileClosed_ReopensByName()
    {
        using var temporary = new TemporaryPath(directory: _directory);

        File.WriteAllText(temporary.Path, "written by name");

        Assert.That(File.ReadAllText(temporary.Path), Is.EqualTo("written by name"));
    }

    [Test]
    public async Task Constructor_ThousandConcurrentCreations_AllUniqueAndExisting()
    {
        var creations = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(() => new TemporaryPath(directory: _directory)))
            .ToArray();

        var paths = await Task.WhenAll(creations);

        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(paths.Select(p => p.Path).Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(1000));
                Assert.That(paths.Count(p => File.Exists(p.Path)), Is.EqualTo(1000));
                Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1000));
            });
        }
        finally
        {
            foreach (var path in paths)
            {
                path.Dispose();
            }
        }
    }

    [Test]
    public void Constructor_PrefixAndSuffix_AreHonoured()
    {
        using var temporary = new TemporaryPath(suffix: ".json", prefix: "orders-", directory: _directory);

        var name = Path.GetFileName(temporary.Path);

        Assert.Multiple(() =>
        {
            Assert.That(name, Does.StartWith("orders-"));
            Assert.That(name, Does.EndWith(".json"));
            Assert.That(name.Length, Is.GreaterThan("orders-".Length + ".json".Length));
            Assert.That(Path.GetDirectoryName(temporary.Path), Is.EqualTo(_directory));
        });
    }

    [Test]
    public void Constructor_EmptyPrefix_RandomNameWithSuffix()
    {
        using var temporary = new TemporaryPath(suffix: ".bin", prefix: "", directory: _directory);

        Assert.That(Path.GetFileName(temporary.Path), Does.Match("^[a-z0-9]+\\.bin$"));
    }

    [Test]
    public void Constructor_MissingDirectory_ThrowsNamingIt()
    {
        var missing = Path.Combine(_directory, "missing");

        var exception = Assert.Throws<DirectoryNotFoundException>(() => new TemporaryPath(directory: missing));

        Assert.That(exception!.Message, Does.Contain(missing));
    }

    [TestCase("a/b")]
    [TestCase("a\\b")]
    [TestCase("nul\0")]
    public void Constructor_InvalidPrefix_ThrowsNamingValue(string prefix)
    {
        var exception = Assert.Throws<ArgumentException>(() => new TemporaryPath(prefix: prefix, directory: _directory));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("prefix"));
            Assert.That(exception.Message, Does.Contain($"'{prefix}'"));
            Assert.That(Directory.GetFiles(_directory), Is.Empty);
        });
    }

    [TestCase("/../escape")]
    [TestCase("x\\y")]
    public void Constructor_InvalidSuffix_ThrowsNamingValue(string suffix)
    {
        var exception = Assert.Throws<ArgumentException>(() => new TemporaryPath(suffix: suffix, directory: _directory));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.ParamName, Is.EqualTo("suffix"));
            Assert.That(exception.Message, Does.Contain($"'{suffix}'"));
        });
    }

    [Test]
    public void Dispose_DeleteTrue_RemovesFile()
    {
        var temporary = new TemporaryPath(directory: _directory);

        temporary.Dispose();

        Assert.That(File.Exists(temporary.Path), Is.False);
    }

    [Test]
    public async Task DisposeAsync_DeleteTrue_RemovesFile()
    {
        var temporary = new TemporaryPath(directory: _directory);

        await temporary.DisposeAsync();

        Assert.That(File.Exists(temporary.Path), Is.False);
    }

    [Test]
    public void Dispose_DeleteFalse_KeepsFile()
    {
        var temporary = new TemporaryPath(directory: _directory, delete: false);

        temporary.Dispose();

        Assert.That(File.Exists(temporary.Path), Is.True);
    }

    [Test]
    public void Dispose_FileAlreadyDeleted_DoesNotThrow()
    {
        var temporary = new TemporaryPath(directory: _directory);
        File.Delete(temporary.Path);

        Assert.DoesNotThrow(temporary.Dispose);
    }

    [Test]
    public async Task DisposeAsync_FileMoved_KeepsMovedFile()
    {
        var temporary = new TemporaryPath(directory: _directory);
        var moved = Path.Combine(_directory, "moved.txt");
        File.Move(temporary.Path, moved);

        await temporary.DisposeAsync();

        Assert.That(File.Exists(moved), Is.True);
    }

    [Test]
    public void Dispose_DirectoryRemoved_DoesNotThrow()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "removed")).FullName;
        var temporary = new TemporaryPath(directory: folder);
        Directory.Delete(folder, recursive: true);

        Assert.DoesNotThrow(temporary.Dispose);
    }

    [Test]
    public void Dispose_SecondCall_KeepsNewFile()
    {
        var temporary = new TemporaryPath(directory: _directory);
        temporary.Dispose();
        File.WriteAllText(temporary.Path, "new owner");

        temporary.Dispose();

        Assert.That(File.Exists(temporary.Path), Is.True);
    }

    [Test]
    public void Constructor_OnUnix_CreatesFileWithMode0600()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes do not exist on Windows.");
            return;
        }

        using var temporary = new TemporaryPath(directory: _directory);

        Assert.That(File.GetUnixFileMode(temporary.Path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
