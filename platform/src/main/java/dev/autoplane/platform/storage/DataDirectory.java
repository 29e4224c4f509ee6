package dev.autoplane.platform.storage;

import dev.autoplane.platform.secret.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the data directory private to the server's user: the directory mode 0700, every file in it
 * 0600. It holds the embedded database (the whole event log and every read model), the keys and the
 * admin's token. The key files were always written 0600, but H2 creates its files with the process's
 * umask (0644), so the database was readable by every local user. The directory is created (or
 * tightened) before any bean opens the database, and the files are tightened again once everything
 * is started and after the database is compacted, since H2 writes files of its own then. A directory
 * writable by others (such as {@code /tmp}) is a shared one, not ours: it is left alone with a warning.
 */
@Component
public class DataDirectory implements BeanFactoryPostProcessor, EnvironmentAware, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private Path dir;

    @Override
    public void setEnvironment(Environment environment) {
        this.dir = Path.of(environment.getProperty("autoplane.data-dir", "./data")).toAbsolutePath().normalize();
    }

    /** Before any bean exists (so before the database is opened): the directory, private. */
    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        secure(dir);
    }

    /** Once every bean is created (the database file exists now): its files, private. */
    @Override
    public void afterSingletonsInstantiated() {
        restrictFiles(dir);
    }

    public Path path() {
        return dir;
    }

    /** Creates the directory with mode 0700, or tightens it to 0700, and its files to 0600. */
    public static void secure(Path dir) {
        if (!posix()) {
            return;
        }
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                Files.setPosixFilePermissions(dir, DIRECTORY); // the umask may have narrowed the attribute
            } else {
                Set<PosixFilePermission> current = Files.getPosixFilePermissions(dir);
                if (current.contains(PosixFilePermission.OTHERS_WRITE)) {
                    log.warn("The data directory {} is writable by every user ({}); it is left as it is: use a directory of its own",
                            dir, PosixFilePermissions.toString(current));
                    return;
                }
                if (!current.equals(DIRECTORY)) {
                    Files.setPosixFilePermissions(dir, DIRECTORY);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or protect the data directory " + dir, e);
        }
        restrictFiles(dir);
    }

    /** Every regular file directly in the directory to 0600 (a file that vanished meanwhile is skipped). */
    public static void restrictFiles(Path dir) {
        if (!posix() || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(DataDirectory::restrict);
        } catch (IOException e) {
            log.warn("Could not list the data directory {} to protect its files: {}", dir, e.toString());
        }
    }

    private static void restrict(Path file) {
        try {
            if (!Files.getPosixFilePermissions(file).equals(FILE)) {
                PrivateFiles.restrict(file);
            }
        } catch (IOException e) {
            log.debug("Could not restrict {}: {}", file, e.toString());
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
