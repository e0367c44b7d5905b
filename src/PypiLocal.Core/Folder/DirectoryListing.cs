namespace PypiLocal.Core.Folder;

/// <summary>One directory as last listed: its modification time, its distribution files and its (visible) subdirectories.</summary>
/// <param name="LastWriteTime">The directory's own modification time, which changes when entries are added, removed or renamed.</param>
/// <param name="Files">The distribution files directly in it.</param>
/// <param name="Subdirectories">Full paths of the subdirectories to follow.</param>
/// <param name="Settling">True when the directory or one of its files changed moments ago: listed again at the next look, so a file still being written is seen complete.</param>
internal sealed record DirectoryListing(DateTime LastWriteTime, IReadOnlyList<FolderFile> Files, IReadOnlyList<string> Subdirectories, bool Settling);
