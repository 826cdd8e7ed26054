package io.tocsin.dispatcher.channel.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The directory plugins are run from ({@code tocsin.dispatcher.plugin-dir}) and the checks that keep an
 * integration's {@code plugin} setting inside it. The directory is the trust boundary: whoever may write into
 * it decides what runs; an integration (which API users create) only picks one of its files.
 *
 * <p>Checks, at every run because files change: the name is a plain file name ({@link PluginSettings#pluginNameProblem});
 * its real path (symbolic links followed) is inside the real directory; it is a regular file, executable, and
 * not writable by others (anyone could otherwise make it run their code as Tocsin).
 */
final class PluginDirectory {

    private final Path directory;

    /** @param directory the configured directory; a relative path is resolved against the working directory */
    PluginDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The configured directory, absolute. */
    Path path() {
        return directory;
    }

    /** A plugin that cannot be run; the message names the plugin file (not secret) and never its content. */
    static final class UnusablePluginException extends Exception {

        UnusablePluginException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The plugin to run.
     *
     * @param realDirectory  the real path of the plugin directory (its working directory)
     * @param realExecutable the real path of the plugin file
     */
    record Resolved(Path realDirectory, Path realExecutable) {
    }

    /**
     * Resolves a plugin file name to the real path of an executable inside this directory.
     *
     * @throws UnusablePluginException when the name is not a plain file name, the directory or file is missing,
     *                                 the file resolves outside the directory, is not a regular file, is not
     *                                 executable or is writable by others
     */
    Resolved resolve(String name) throws UnusablePluginException {
        String problem = PluginSettings.pluginNameProblem(name);
        if (problem != null) {
            throw new UnusablePluginException("plugin setting " + problem);
        }
        String quoted = "plugin '" + name + "'";
        Path realDirectory;
        try {
            realDirectory = directory.toRealPath();
        } catch (IOException e) {
            throw new UnusablePluginException("the plugin directory " + directory + " does not exist or cannot be read");
        }
        if (!Files.isDirectory(realDirectory)) {
            throw new UnusablePluginException("the plugin directory " + directory + " is not a directory");
        }
        Path real;
        try {
            real = realDirectory.resolve(name).toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnusablePluginException(quoted + " does not exist in the plugin directory " + directory);
        } catch (IOException e) {
            throw new UnusablePluginException(quoted + " cannot be resolved: " + e.getClass().getSimpleName());
        }
        if (!real.startsWith(realDirectory) || real.equals(realDirectory)) {
            throw new UnusablePluginException(quoted + " resolves outside the plugin directory (symbolic link)");
        }
        if (!Files.isRegularFile(real)) {
            throw new UnusablePluginException(quoted + " is not a regular file");
        }
        if (!Files.isExecutable(real)) {
            throw new UnusablePluginException(quoted + " is not executable (chmod +x)");
        }
        if (writableByOthers(real)) {
            throw new UnusablePluginException(quoted + " is writable by others (chmod o-w)");
        }
        return new Resolved(realDirectory, real);
    }

    private static boolean writableByOthers(Path file) throws UnusablePluginException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            return permissions.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException e) {
            throw new UnusablePluginException("the permissions of plugin '" + file.getFileName() + "' cannot be read");
        }
    }
}
