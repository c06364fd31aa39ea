<?php
/*
 * Plugin Name: pressarchive test switches
 * Description: Keeps a test site off the network and turns its REST API on or off with the
 *   option `pressarchive_rest` ("on" or "off"). Off means what a site owner who disables the
 *   API gets: no routes (/wp-json/ answers 404) and no link to it in pages, headers or RSD.
 */

// No outgoing HTTP at all (updates, oEmbed, pingbacks, loopback checks), nor mail.
add_filter('pre_http_request', function () {
    return new WP_Error('http_request_blocked', 'pressarchive test site: no outgoing HTTP');
}, 1);
add_filter('pre_wp_mail', '__return_false');

add_action('plugins_loaded', function () {
    if (get_option('pressarchive_rest', 'on') !== 'off') {
        return;
    }
    remove_action('wp_head', 'rest_output_link_wp_head', 10);
    remove_action('template_redirect', 'rest_output_link_header', 11);
    remove_action('wp_head', 'wp_oembed_add_discovery_links');
    remove_action('xmlrpc_rsd_apis', 'rest_output_rsd');
    add_filter('rest_endpoints', '__return_empty_array');
    add_filter('rest_authentication_errors', function () {
        return new WP_Error('rest_disabled', 'The REST API is disabled on this site.',
                            ['status' => 404]);
    });
});
