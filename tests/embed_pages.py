"""Article pages that load their comments by script, built by code for detection and crawl tests.

Each snippet follows the system's own published embed code (its "universal code", its
WordPress plugin's template, or its documentation's example), with this page's values.
"""

from __future__ import annotations

from html import escape

ARTICLE_URL = "https://news.example/2024/05/06/harbour-plans/"
PARAGRAPHS = (
    "The harbour board approved the plans for the new quay on Monday evening, after a "
    "meeting that ran for almost four hours and heard from more than thirty residents.",
    "Work is due to start in the autumn and to last two years; the board says the old "
    "fish market will stay open throughout, with a temporary entrance on Dock Street.",
)


def article_page(embed: str, *, title: str = "Harbour plans approved",
                 published: str = "2024-05-06T09:30:00+02:00",
                 url: str = ARTICLE_URL, section_id: str = "comments") -> bytes:
    """A one-article page (microdata, byline, time) with `embed` where comments go, in a
    `<div id="{section_id}">`."""
    body = "".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
</head><body>
<article class="post type-post hentry">
<h1 class="entry-title">{escape(title)}</h1>
<p class="byline"><span class="author vcard"><a class="fn" rel="author">Ann Reporter</a></span>
<time class="entry-date published" datetime="{published}">6 May 2024</time></p>
<div class="entry-content">{body}</div>
</article>
<div id="{section_id}">{embed}</div>
</body></html>""".encode()


ISSO = """<script data-isso="{host}" src="{host}js/embed.min.js"></script>
<section id="isso-thread" data-title="Harbour plans approved"></section>"""
ISSO_WITH_THREAD_ID = """<script data-isso="//comments.news.example/"
 src="//comments.news.example/js/embed.min.js"></script>
<section id="isso-thread" data-isso-id="/harbour-plans"></section>"""
DISQUS_UNIVERSAL = """<div id="disqus_thread"></div>
<script>
    var disqus_config = function () {
        this.page.url = 'https://news.example/2024/05/06/harbour-plans/';
        this.page.identifier = 'harbour-plans-1234';
    };
    (function() { // DON'T EDIT BELOW THIS LINE
    var d = document, s = d.createElement('script');
    s.src = 'https://newsexample.disqus.com/embed.js';
    s.setAttribute('data-timestamp', +new Date());
    (d.head || d.body).appendChild(s);
    })();
</script>
<noscript>Please enable JavaScript to view the comments powered by Disqus.</noscript>"""
DISQUS_WORDPRESS_2012 = """<div id="disqus_thread"></div>
<script type="text/javascript">
    var disqus_url = 'https:\\/\\/news.example\\/2024\\/05\\/06\\/harbour-plans\\/';
    var disqus_identifier = '1234 https://news.example/?p=1234';
    var disqus_container_id = 'disqus_thread';
    var disqus_domain = 'disqus.com';
    var disqus_shortname = 'newsexample';
    (function() {
        var dsq = document.createElement('script'); dsq.type = 'text/javascript';
        dsq.async = true;
        dsq.src = 'http://' + disqus_shortname + '.' + disqus_domain +
            '/embed.js?pname=wordpress&pver=2.72';
        (document.getElementsByTagName('head')[0] ||
         document.getElementsByTagName('body')[0]).appendChild(dsq);
    })();
</script>"""
DISQUS_FROM_OWN_SCRIPT = """<script type="text/javascript">
   var disqus_url = "https://news.example/2024/05/06/harbour-plans/";
   var disqus_identifier='1234 https://news.example/?p=1234';
</script><div id="disqus_thread"></div>
<script src="/assets/site.js"></script>"""
DISQUS_COUNT_ONLY = """<a href="https://news.example/2024/05/01/other/#disqus_thread">Comments</a>
<script id="dsq-count-scr" src="//newsexample.disqus.com/count.js" async></script>"""
CORAL = """<div id="coral_thread"></div>
<script type="text/javascript">
  (function() {
      var d = document, s = d.createElement('script');
      s.src = 'https://coral.news.example/assets/js/embed.js';
      s.async = false;
      s.defer = true;
      s.onload = function() {
          Coral.createStreamEmbed({
              id: "coral_thread",
              autoRender: true,
              rootURL: 'https://coral.news.example',
              storyURL: 'https://news.example/2024/05/06/harbour-plans/',
          });
      };
      (d.head || d.body).appendChild(s);
  })();
</script>"""
CORAL_TALK_V4 = """<div id="coral_talk_stream"></div>
<script src="https://talk.news.example/static/embed.js" async onload="
  Coral.Talk.render(document.getElementById('coral_talk_stream'), {
    talk: 'https://talk.news.example/'
  });
"></script>
<script>Coral.Talk.render(document.getElementById('coral_talk_stream'),
  {talk: 'https://talk.news.example/'});</script>"""
COMMENTO = """<script defer src="https://cdn.commento.io/js/commento.js"
 data-page-id="/2024/05/06/harbour-plans/"></script>
<div id="commento"></div>"""
REMARK42 = """<script>
  var remark_config = {
    host: 'https://remark42.news.example',
    site_id: 'news',
    url: 'https://news.example/2024/05/06/harbour-plans/',
    components: ['embed'],
  };
</script>
<script>!function(e,n){for(var o=0;o<e.length;o++){var r=n.createElement("script"),
c=".js",d=n.head||n.body;"noModule"in r?(r.type="module",c=".mjs"):r.async=!0,r.defer=!0,
r.src=remark_config.host+"/web/"+e[o]+c,d.appendChild(r)}}(remark_config.components||
["embed"],document);</script>
<div id="remark42"></div>"""
HYVOR_V2 = """<div id="hyvor-talk-view"></div>
<script type="text/javascript">
    var HYVOR_TALK_WEBSITE = 4821;
    var HYVOR_TALK_CONFIG = {
        url: 'https://news.example/2024/05/06/harbour-plans/',
        id: 'harbour-plans'
    };
</script>
<script async type="text/javascript" src="//talk.hyvor.com/web-api/embed.js"></script>"""
HYVOR_V3 = """<script async src="https://talk.hyvor.com/embed/embed.js" type="module"></script>
<hyvor-talk-comments website-id="4821" page-id="harbour-plans"></hyvor-talk-comments>"""
FACEBOOK_HTML5 = """<div id="fb-root"></div>
<script>(function(d, s, id) {
  var js, fjs = d.getElementsByTagName(s)[0];
  if (d.getElementById(id)) return;
  js = d.createElement(s); js.id = id;
  js.src = "//connect.facebook.net/en_US/sdk.js#xfbml=1&version=v2.5";
  fjs.parentNode.insertBefore(js, fjs);
}(document, 'script', 'facebook-jssdk'));</script>
<div class="fb-comments" data-href="https://news.example/2024/05/06/harbour-plans/"
 data-numposts="5"></div>"""
FACEBOOK_XFBML_2012 = """<script src="http://connect.facebook.net/en_US/all.js#xfbml=1"></script>
<fb:comments href="https://news.example/2024/05/06/harbour-plans/" num_posts="10"
 width="500"></fb:comments>"""
FACEBOOK_LIKE_ONLY = """<script src="//connect.facebook.net/en_US/sdk.js#xfbml=1"></script>
<div class="fb-like" data-href="https://news.example/2024/05/06/harbour-plans/"></div>"""
DISCOURSE = """<div id='discourse-comments'></div>
<script type="text/javascript">
  DiscourseEmbed = { discourseUrl: 'https://forum.news.example/',
                     discourseEmbedUrl: 'https://news.example/2024/05/06/harbour-plans/' };
  (function() {
    var d = document.createElement('script'); d.type = 'text/javascript'; d.async = true;
    d.src = DiscourseEmbed.discourseUrl + 'javascripts/embed.js';
    (document.getElementsByTagName('head')[0] ||
     document.getElementsByTagName('body')[0]).appendChild(d);
  })();
</script>"""
GISCUS = """<script src="https://giscus.app/client.js" data-repo="news/comments"
 data-repo-id="R_kgDOH" data-mapping="pathname" crossorigin="anonymous" async></script>"""
UTTERANCES = """<script src="https://utteranc.es/client.js" repo="news/comments"
 issue-term="pathname" theme="github-light" crossorigin="anonymous" async></script>"""
VUUKLE = """<div id="vuukle-comments"></div>
<script>
  var VUUKLE_CONFIG = {
    apiKey: 'e831e786-825c-4472-b4eb-f74e501ee03c',
    articleId: 'harbour-plans-1234',
  };
  (function() {
    var d = document, s = d.createElement('script');
    s.src = 'https://cdn.vuukle.com/platform.js';
    (d.head || d.body).appendChild(s);
  })();
</script>"""
OPENWEB = """<script async src="https://launcher.spot.im/spot/sp_AbC123xy"
 data-spotim-module="spotim-launcher" data-post-url="https://news.example/2024/05/06/harbour-plans/"
 data-post-id="harbour-plans-1234"></script>
<div data-spotim-module="conversation" data-post-id="harbour-plans-1234"></div>"""
VIAFOURA = """<div class="viafoura"><vf-conversations></vf-conversations></div>
<script async src="//cdn.viafoura.net/entry/index.js"></script>"""
LIVEFYRE_2012 = """<div id="livefyre"></div>
<script type="text/javascript" src="http://zor.livefyre.com/wjs/v1.0/javascripts/livefyre_init.js">
</script>
<script type="text/javascript">
  var fyre = LF({ site_id: 303613, article_id: "harbour-plans-1234" });
</script>"""
LIVEFYRE_V3 = """<div id="livefyre-comments"></div>
<script src="//zor.livefyre.com/wjs/v3.0/javascripts/livefyre.js"></script>
<script>fyre.conv.load({network: "livefyre.com"}, [{
  el: 'livefyre-comments', siteId: '303613', articleId: 'harbour-plans-1234'
}], function() {});</script>"""
LIVEFYRE_COUNT_ONLY = """<span class="livefyre-commentcount" data-lf-site-id="303613"
 data-lf-article-id="harbour-plans-1234">0 Comments</span>
<script src="//zor.livefyre.com/wjs/v1.0/javascripts/CommentCount.js"></script>"""
INTENSEDEBATE = """<script>
var idcomments_acct = '6797f46fb42df386a56a8a50f7d1220c';
var idcomments_post_id = '1234';
var idcomments_post_url = 'https://news.example/2024/05/06/harbour-plans/';
</script>
<span id="IDCommentsPostTitle" style="display:none"></span>
<script type='text/javascript' src='https://www.intensedebate.com/js/genericCommentWrapperV2.js'>
</script>"""
INTENSEDEBATE_WORDPRESS = """<div id='idc-container'></div><div id="idc-noscript"></div>
<script type="text/javascript">(function(){var s=document.createElement("script");
s.type="text/javascript";s.id='idc-comment-wrap-js';
s.src="http://intensedebate.com/js/wordpressTemplateCommentWrapper2.php?acct=6797f46fb42df386a56a8a50f7d1220c&postid=1234";
document.getElementsByTagName("head")[0].appendChild(s);})();</script>"""
JSKIT = """<div class="js-kit-comments" uniq="/2024/05/06/harbour-plans/"
 permalink="https://news.example/2024/05/06/harbour-plans/"></div>
<script src="http://js-kit.com/comments.js"></script>"""
# The Disqus WordPress plugin (2012) prints a copy of the thread for crawlers, then loads Disqus.
DISQUS_WORDPRESS_COPY = """<div id="disqus_thread"><div id="dsq-content">
<ul id="dsq-comments">
  <li class="comment even thread-even depth-1" id="dsq-comment-31345">
    <div id="dsq-comment-header-31345" class="dsq-comment-header">
      <cite id="dsq-cite-31345"><span id="dsq-author-user-31345">Ann</span></cite>
    </div>
    <div id="dsq-comment-body-31345" class="dsq-comment-body">
      <div id="dsq-comment-message-31345" class="dsq-comment-message"><p>First post</p></div>
    </div>
  </li>
  <ul class='children'>
  <li class="comment odd alt depth-2" id="dsq-comment-31348">
    <div id="dsq-comment-header-31348" class="dsq-comment-header">
      <cite id="dsq-cite-31348"><span id="dsq-author-user-31348">Bob</span></cite>
    </div>
    <div id="dsq-comment-body-31348" class="dsq-comment-body">
      <div id="dsq-comment-message-31348" class="dsq-comment-message"><p>A reply</p></div>
    </div>
  </li>
  </ul>
</ul>
</div></div>
<script type="text/javascript">
    var disqus_url = 'https://news.example/2024/05/06/harbour-plans/';
    var disqus_identifier = 'harbour-plans-1234';
    var disqus_shortname = 'newsexample';
    (function() {
        var dsq = document.createElement('script'); dsq.type = 'text/javascript';
        dsq.async = true;
        dsq.src = 'http://' + disqus_shortname + '.' + 'disqus.com' + '/embed.js?pname=wordpress';
        (document.getElementsByTagName('head')[0] ||
         document.getElementsByTagName('body')[0]).appendChild(dsq);
    })();
</script>"""
