<?php
/*
 * The test sites' own side, through WordPress's PHP API (run by tests/wordpress/site.py):
 *
 *   php cli.php HOST:PORT state              installed?, content version, theme, REST mode
 *   php cli.php HOST:PORT fill < site.json   install WordPress and fill it with the content
 *   php cli.php HOST:PORT mode THEME on|off  switch the theme and the REST API
 *   php cli.php HOST:PORT gold               every post and comment as the site knows them
 *
 * HOST picks Debian's /etc/wordpress/config-HOST.php, as a request to that host would.
 * Every answer is one JSON object on stdout.
 */
if (PHP_SAPI !== 'cli' || count($argv) < 3) {
    fwrite(STDERR, "usage: php cli.php HOST:PORT state|fill|mode|gold [ARGS]\n");
    exit(2);
}
[, $origin, $command] = $argv;
$_SERVER['HTTP_HOST'] = $origin;
$_SERVER['SERVER_NAME'] = explode(':', $origin)[0];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
if ($command === 'state' || $command === 'fill') {
    define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

function answer(array $data): void
{
    echo json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
}

function fail(string $message): void
{
    fwrite(STDERR, $message . "\n");
    exit(1);
}

function state(): array
{
    return [
        'installed' => is_blog_installed(),
        'version' => get_option('pressarchive_content_version', ''),
        'theme' => get_stylesheet(),
        'rest' => get_option('pressarchive_rest', 'on'),
        'home' => get_option('home'),
    ];
}

/* post_modified is always "now" on an update: set it to the content's time instead. */
$GLOBALS['pa_modified'] = null;
add_filter('wp_insert_post_data', function ($data) {
    if ($GLOBALS['pa_modified'] !== null) {
        $data['post_modified'] = $GLOBALS['pa_modified'];
        $data['post_modified_gmt'] = get_gmt_from_date($GLOBALS['pa_modified']);
    }
    return $data;
});

function check($result, string $what)
{
    if (is_wp_error($result) || !$result) {
        fail("$what: " . (is_wp_error($result) ? $result->get_error_message() : 'failed'));
    }
    return $result;
}

function term_ids(array $names, string $taxonomy): array
{
    $ids = [];
    foreach ($names as $name) {
        $term = term_exists($name, $taxonomy) ?: wp_insert_term($name, $taxonomy);
        $ids[] = (int) check($term, "term $name")['term_id'];
    }
    return $ids;
}

function insert_post(array $post, array $users, array $ids): int
{
    $GLOBALS['pa_modified'] = $post['modified'] ?? $post['date'];
    $args = [
        'post_type' => $post['type'],
        'post_status' => $post['status'],
        'post_title' => $post['title'],
        'post_name' => $post['slug'],
        'post_author' => $users[$post['author']],
        'post_date' => $post['date'],
        'post_content' => $post['content'],
        'post_password' => $post['password'],
        'comment_status' => $post['comment_status'],
        'ping_status' => 'closed',
        'post_category' => term_ids($post['categories'], 'category'),
        'tags_input' => $post['tags'],
    ];
    if ($post['import_id']) {
        $args['import_id'] = $post['import_id'];
    }
    if ($post['type'] === 'attachment') {
        $args['post_mime_type'] = 'image/png';
        $args['post_parent'] = $ids[$post['parent']];
        return (int) check(wp_insert_attachment($args, false, $ids[$post['parent']], true),
                           "attachment {$post['key']}");
    }
    $id = (int) check(wp_insert_post(wp_slash($args), true), "post {$post['key']}");
    if ($post['modified']) {
        /* An updated post: saved again later, as an editor would (a revision is kept). */
        check(wp_update_post(wp_slash(['ID' => $id, 'post_content' => $post['content']]), true),
              "update {$post['key']}");
    }
    return $id;
}

function link_attachment(array $post, int $id, int $attachment): void
{
    $GLOBALS['pa_modified'] = $post['modified'] ?? $post['date'];
    $link = sprintf('<p>See <a href="%s">the chart of the budget</a>.</p>',
                    esc_url(get_attachment_link($attachment)));
    $content = get_post($id)->post_content . "\n\n" . (
        has_blocks($post['content']) ? "<!-- wp:paragraph -->\n$link\n<!-- /wp:paragraph -->"
                                      : $link);
    check(wp_update_post(wp_slash(['ID' => $id, 'post_content' => $content]), true),
          "link {$post['key']}");
}

function fill(array $site, string $version): array
{
    global $wp_rewrite;
    $admin = wp_install($site['title'], 'admin', 'admin@example.org', true, '',
                        wp_generate_password(24), $site['language']);
    wp_set_current_user($admin['user_id']);  // an administrator may post unfiltered HTML
    foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1])
             as $default) {
        wp_delete_post($default->ID, true);  // "Hello world!", the sample and privacy pages
    }
    foreach (get_comments(['status' => 'all']) as $default) {
        wp_delete_comment($default->comment_ID, true);
    }
    update_option('home', $site['base_url']);
    update_option('siteurl', $site['base_url']);
    update_option('blogdescription', $site['tagline']);
    update_option('WPLANG', $site['language']);
    foreach ($site['options'] as $name => $value) {
        update_option($name, $value);
    }
    $wp_rewrite->set_permalink_structure($site['options']['permalink_structure']);

    $users = [];
    foreach ($site['users'] as $user) {
        [$first, $last] = array_pad(explode(' ', $user['name'], 2), 2, '');
        $users[$user['login']] = (int) check(wp_insert_user([
            'user_login' => $user['login'], 'user_pass' => wp_generate_password(24),
            'user_email' => $user['email'], 'display_name' => $user['name'],
            'nickname' => $user['name'], 'first_name' => $first, 'last_name' => $last,
            'description' => $user['bio'], 'role' => $user['role'],
        ]), "user {$user['login']}");
    }

    $ids = [];
    $attachments = array_filter($site['posts'], fn ($p) => $p['type'] === 'attachment');
    foreach (array_diff_key($site['posts'], $attachments) as $post) {
        $ids[$post['key']] = insert_post($post, $users, $ids);
    }
    foreach ($attachments as $post) {
        $ids[$post['key']] = insert_post($post, $users, $ids);
    }
    foreach ($site['posts'] as $post) {
        if ($post['links_attachment']) {
            link_attachment($post, $ids[$post['key']], $ids[$post['links_attachment']]);
        }
    }
    $GLOBALS['pa_modified'] = null;

    $comments = [];
    foreach ($site['comments'] as $c) {
        $comments[$c['key']] = (int) check(wp_insert_comment(wp_slash([
            'comment_post_ID' => $ids[$c['post']],
            'comment_author' => $c['author'],
            'comment_author_email' => $c['email'],
            'comment_author_url' => $c['url'],
            'comment_content' => $c['content'],
            'comment_parent' => $c['parent'] ? $comments[$c['parent']] : 0,
            'comment_date' => $c['date'],
            'comment_approved' => $c['status'],
            'comment_type' => 'comment',
            'user_id' => $c['user'] ? $users[$c['user']] : 0,
            'comment_author_IP' => '127.0.0.1',
            'comment_agent' => 'pressarchive-fill',
        ])), "comment {$c['key']}");
    }
    switch_theme($site['theme']);
    update_option('pressarchive_rest', 'on');
    flush_rewrite_rules(false);
    update_option('pressarchive_content_version', $version);
    return ['posts' => $ids, 'comments' => $comments];
}

function names($terms): array
{
    return array_map(fn ($t) => html_entity_decode($t->name, ENT_QUOTES | ENT_HTML5, 'UTF-8'),
                     is_array($terms) ? $terms : []);
}

function kind(WP_Post $post): string
{
    if ($post->post_type !== 'post') {
        return $post->post_type;
    }
    if ($post->post_status !== 'publish') {
        return $post->post_status;
    }
    return $post->post_password !== '' ? 'protected' : 'article';
}

function gold(): array
{
    global $post, $wpdb;
    $posts = [];
    $query = ['post_type' => ['post', 'page', 'attachment'], 'post_status' => 'any',
              'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC'];
    foreach (get_posts($query) as $post) {
        setup_postdata($post);
        $posts[] = [
            'id' => $post->ID,
            'kind' => kind($post),
            'url' => $post->post_type === 'attachment' ? get_attachment_link($post)
                                                       : get_permalink($post),
            'title' => html_entity_decode(get_the_title($post), ENT_QUOTES | ENT_HTML5, 'UTF-8'),
            'authors' => [get_the_author_meta('display_name', $post->post_author)],
            'published_gmt' => $post->post_date_gmt,
            'modified_gmt' => $post->post_modified_gmt,
            'categories' => names(get_the_terms($post, 'category')),
            'tags' => names(get_the_terms($post, 'post_tag')),
            'content_html' => apply_filters('the_content', $post->post_content),
        ];
    }
    wp_reset_postdata();
    $comments = [];
    foreach ($wpdb->get_results("SELECT * FROM $wpdb->comments ORDER BY comment_ID") as $row) {
        $c = get_comment($row);
        $comments[] = [
            'id' => (int) $c->comment_ID,
            'post' => (int) $c->comment_post_ID,
            'parent' => (int) $c->comment_parent ?: null,
            'status' => $c->comment_approved,
            'author' => get_comment_author($c),
            'published_gmt' => $c->comment_date_gmt,
            'text_html' => apply_filters('comment_text', get_comment_text($c), $c, []),
        ];
    }
    $options = ['timezone_string', 'gmt_offset', 'permalink_structure', 'date_format',
                'time_format', 'WPLANG', 'page_comments', 'comments_per_page',
                'default_comments_page', 'comment_order', 'thread_comments',
                'thread_comments_depth', 'home', 'blogname'];
    return ['options' => array_combine($options, array_map('get_option', $options)),
            'language' => get_locale(), 'posts' => $posts, 'comments' => $comments];
}

switch ($command) {
    case 'state':
        answer(state());
    case 'fill':
        $site = json_decode(stream_get_contents(STDIN), true);
        if (!is_array($site) || !isset($argv[3])) {
            fail('fill: expected the site as JSON on stdin and a content version');
        }
        if (is_blog_installed()) {
            fail('fill: this site is already installed (drop its database first)');
        }
        answer(fill($site, $argv[3]));
    case 'mode':
        $theme = $argv[3] ?? '';
        $rest = $argv[4] ?? '';
        if (!wp_get_theme($theme)->exists() || !in_array($rest, ['on', 'off'], true)) {
            fail("mode: unknown theme '$theme' or REST mode '$rest'");
        }
        if (get_stylesheet() !== $theme) {
            switch_theme($theme);
        }
        update_option('pressarchive_rest', $rest);
        answer(state());
    case 'gold':
        answer(gold());
    default:
        fail("unknown command '$command'");
}
