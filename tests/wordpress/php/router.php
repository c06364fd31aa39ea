<?php
/*
 * Router for `php -S HOST:PORT -t /usr/share/wordpress router.php`: what Debian's Apache
 * configuration and WordPress's mod_rewrite rules would do. Real files are served as they
 * are (`/wp-content/` from WP_CONTENT_DIR, as Debian's Alias does); every other path goes
 * to index.php, which reads the pretty permalinks itself.
 */
$root = '/usr/share/wordpress';
$content = '/var/lib/wordpress/wp-content';
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (strpos($path, '..') !== false) {
    http_response_code(400);
    return true;
}
if (strpos($path, '/wp-content/') === 0) {
    $file = $content . substr($path, strlen('/wp-content'));
    if (is_file($file) && substr($file, -4) !== '.php') {
        $types = ['css' => 'text/css', 'js' => 'application/javascript', 'png' => 'image/png',
                  'jpg' => 'image/jpeg', 'svg' => 'image/svg+xml', 'woff2' => 'font/woff2',
                  'json' => 'application/json', 'txt' => 'text/plain'];
        $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
        header('Content-Type: ' . ($types[$ext] ?? 'application/octet-stream'));
        header('Content-Length: ' . filesize($file));
        readfile($file);
        return true;
    }
}
$file = $root . $path;
if (is_file($file)) {
    return false;
}
if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
chdir($root);
require $root . '/index.php';
