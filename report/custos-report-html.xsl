<?xml version="1.0" encoding="UTF-8"?>
<!--
  custos-report-html.xsl - the evidence report for people: the document a
  prosecutor, a defence expert and a judge read, print and attach.
  custos report applies it for its html output, passing the case label of
  the printed pages' heads, escaped for CSS, as the parameter css-label;
  `xsltproc report/custos-report-html.xsl REPORT.xml` gives the same page
  with a plain head.

  In this order: the case and evidence identity; the verdict in one
  sentence; the source; the acquisition (or the enrollment); the digests;
  the read errors, drawn to scale (an inline SVG, every mark at least
  MIN-MARK wide so that one sector of a large drive is never invisible)
  and listed exactly; the drive's SMART; the piecewise windows; the
  evidence files of every copy; the verification history; the chain of
  custody.  Sizes are human and exact ("8.4 MB (8388608 bytes)"), times
  UTC with the zone written.  One file: no script, no external resource,
  and a Content-Security-Policy that forbids them.  Printed (on the paper
  the print settings choose: A4 or Letter), every page carries the case
  label and "page N of M" (CSS page margin boxes), and no table row is
  split across pages.  Everything from the evidence is text,
  escaped by the serializer.  What the report says of its own making is
  kept apart from the acquisition's tool and host; a set taken into custody
  by verify's enroll option is said to be enrolled, not acquired.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:r="urn:custos:report:1" xmlns:svg="http://www.w3.org/2000/svg"
                exclude-result-prefixes="r svg">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <!-- the case label of the printed pages' heads, already a CSS string's inside -->
  <xsl:param name="css-label" select="''"/>

  <xsl:variable name="sector">
    <xsl:choose>
      <xsl:when test="/r:report/r:acquisition/r:settings/r:bytes_per_sector">
        <xsl:value-of select="/r:report/r:acquisition/r:settings/r:bytes_per_sector"/></xsl:when>
      <xsl:when test="/r:report/r:enrollment/r:settings/r:bytes_per_sector">
        <xsl:value-of select="/r:report/r:enrollment/r:settings/r:bytes_per_sector"/></xsl:when>
      <xsl:otherwise>512</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="media" select="number(/r:report/r:container/r:media_size)"/>
  <xsl:variable name="sectors" select="ceiling($media div $sector)"/>
  <xsl:variable name="verifies" select="/r:report/r:custody/r:event[@action='verified']"/>
  <xsl:variable name="last-verify" select="$verifies[last()]"/>

  <xsl:template match="/r:report">
    <html lang="en">
      <head>
        <!-- libxslt writes the encoding's meta element itself (http-equiv Content-Type) -->
        <meta http-equiv="Content-Security-Policy"
              content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
        <title>Evidence report: case <xsl:value-of select="r:case/r:case_number"/>, evidence
          <xsl:value-of select="r:case/r:evidence_number"/></title>
        <style>
          body { font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 10.5pt;
                 margin: 2em auto; max-width: 60em; color: #000; line-height: 1.35; }
          h1 { font-size: 17pt; margin: 0 0 0.2em; }
          h2 { font-size: 12.5pt; margin: 1.4em 0 0.4em; border-bottom: 1px solid #000;
               break-after: avoid; }
          .ids { font-size: 11.5pt; margin: 0; }
          .verdict { font-size: 12pt; border: 2px solid #000; padding: 0.5em 0.7em; margin: 1em 0; }
          table { border-collapse: collapse; width: 100%; }
          tr { break-inside: avoid; }
          th, td { border: 1px solid #555; padding: 3px 6px; text-align: left;
                   vertical-align: top; }
          th { width: 30%; background: #eee; font-weight: normal; }
          thead th { font-weight: bold; }
          .digest { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
                    font-size: 9.5pt; }
          .group { white-space: nowrap; }
          .note { font-size: 9.5pt; color: #333; }
          .bad { font-weight: bold; }
          figure { margin: 0.5em 0; break-inside: avoid; }
          figcaption { font-size: 9.5pt; }
          svg { width: 100%; height: auto; display: block; }
          .legend span { display: inline-block; margin-right: 1.2em; }
          .swatch { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #000;
                    vertical-align: middle; margin-right: 0.3em; }
          footer { margin-top: 2em; font-size: 9pt; color: #333; }
          @page { margin: 20mm 15mm 20mm 15mm;
                  @top-left { content: "<xsl:value-of select="$css-label"/>";
                              font-size: 9pt; }
                  @bottom-right { content: "page " counter(page) " of " counter(pages);
                                  font-size: 9pt; } }
          @media print { body { margin: 0; max-width: none; } }
        </style>
      </head>
      <body>
        <h1>Evidence report</h1>
        <p class="ids"><xsl:choose>
          <xsl:when test="string(r:case/r:case_number) or string(r:case/r:evidence_number)">Case
            <b><xsl:value-of select="r:case/r:case_number"/></b>, evidence
            <b><xsl:value-of select="r:case/r:evidence_number"/></b></xsl:when>
          <xsl:otherwise>No case or evidence number was given at acquisition.</xsl:otherwise>
        </xsl:choose></p>
        <p class="verdict"><xsl:call-template name="verdict"/></p>

        <h2>Case</h2>
        <table>
          <tr><th>Case number</th><td><xsl:value-of select="r:case/r:case_number"/></td></tr>
          <tr><th>Evidence number</th><td><xsl:value-of select="r:case/r:evidence_number"/></td></tr>
          <tr><th>Examiner</th><td><xsl:value-of select="r:examiner"/></td></tr>
          <tr><th>Description</th><td><xsl:value-of select="r:case/r:description"/></td></tr>
          <tr><th>Notes</th><td><xsl:value-of select="r:case/r:notes"/></td></tr>
        </table>

        <xsl:apply-templates select="r:source"/>
        <xsl:apply-templates select="r:acquisition"/>
        <xsl:apply-templates select="r:enrollment"/>
        <xsl:apply-templates select="r:hashes"/>
        <xsl:call-template name="read-errors"/>
        <xsl:apply-templates select="r:smart"/>
        <xsl:apply-templates select="r:hash_windows"/>
        <xsl:apply-templates select="r:container"/>
        <xsl:call-template name="verifications"/>
        <xsl:apply-templates select="r:custody"/>

        <footer>This report was made <xsl:call-template name="utc"><xsl:with-param
            name="t" select="@generated"/></xsl:call-template><xsl:if test="@generator"> by
          <xsl:value-of select="@generator"/></xsl:if><xsl:if test="@generator_host"> on
          <xsl:value-of select="@generator_host"/></xsl:if>, from the custody log, whose chain,
          binding to the evidence and signatures were checked first. The custody head it
          records (<xsl:value-of select="r:custody/@events"/> events, last
          <span class="digest"><xsl:value-of select="r:custody/@head"/></span>) lets custos
          custody verify --against prove later that nothing was cut away since.</footer>
      </body>
    </html>
  </xsl:template>

  <!-- ==== the verdict, in one sentence ==== -->
  <xsl:template name="verdict">
    <xsl:choose>
      <xsl:when test="r:enrollment">Enrolled on <xsl:call-template name="day"><xsl:with-param
          name="t" select="r:enrollment/r:enrolled"/></xsl:call-template>, after a full verify:
        <xsl:value-of select="r:enrollment/r:result"/></xsl:when>
      <xsl:otherwise>
        <xsl:text>Acquired </xsl:text>
        <xsl:choose>
          <xsl:when test="r:acquisition/r:result = 'complete'">complete</xsl:when>
          <xsl:when test="r:read_errors/r:range">with <xsl:value-of
              select="format-number(sum(r:read_errors/r:range/@count), '#,##0')"/> unreadable
            sectors, zero-filled and recorded,</xsl:when>
          <xsl:otherwise><xsl:value-of select="translate(r:acquisition/r:result, '_', ' ')"/></xsl:otherwise>
        </xsl:choose>
        <xsl:text> on </xsl:text>
        <xsl:call-template name="day"><xsl:with-param name="t" select="r:acquisition/r:finished"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>; </xsl:text>
    <xsl:choose>
      <xsl:when test="count($verifies) = 0">not verified since.</xsl:when>
      <xsl:otherwise>
        <xsl:text>verified </xsl:text>
        <xsl:choose>
          <xsl:when test="count($verifies) = 1">once</xsl:when>
          <xsl:otherwise><xsl:value-of select="count($verifies)"/> times</xsl:otherwise>
        </xsl:choose>
        <xsl:text> since, last on </xsl:text>
        <xsl:call-template name="day"><xsl:with-param name="t" select="$verifies[last()]/@time"/></xsl:call-template>
        <xsl:text>: </xsl:text>
        <b><xsl:call-template name="result-of"><xsl:with-param name="e" select="$verifies[last()]"/></xsl:call-template></b>
        <xsl:text>.</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a "verified" event's result, from its note ("result: match; ...") -->
  <xsl:template name="result-of">
    <xsl:param name="e"/>
    <xsl:value-of select="substring-before(substring-after(concat($e/r:note, ';'), 'result: '), ';')"/>
  </xsl:template>

  <!-- ==== source, acquisition, enrollment ==== -->
  <xsl:template match="r:source">
    <h2>Source</h2>
    <table>
      <tr><th>Path</th><td><xsl:value-of select="r:path"/>
        (<xsl:value-of select="translate(r:type, '_', ' ')"/>)</td></tr>
      <xsl:if test="r:vendor or r:model">
        <tr><th>Vendor and model</th><td><xsl:value-of select="r:vendor"/><xsl:text> </xsl:text>
          <xsl:value-of select="r:model"/></td></tr>
      </xsl:if>
      <xsl:if test="r:serial"><tr><th>Serial number</th><td><xsl:value-of select="r:serial"/></td></tr></xsl:if>
      <xsl:if test="r:firmware"><tr><th>Firmware</th><td><xsl:value-of select="r:firmware"/></td></tr></xsl:if>
      <tr><th>Size acquired</th><td><xsl:call-template name="size"><xsl:with-param name="bytes" select="r:size"/></xsl:call-template>,
        <xsl:value-of select="format-number(ceiling(r:size div $sector), '#,##0')"/> sectors of
        <xsl:value-of select="$sector"/> bytes</td></tr>
      <xsl:if test="r:total_size != r:size or r:offset != 0">
        <tr><th>Whole source</th><td><xsl:call-template name="size"><xsl:with-param name="bytes" select="r:total_size"/></xsl:call-template>,
          acquired from byte <xsl:value-of select="r:offset"/></td></tr>
      </xsl:if>
      <xsl:if test="r:logical_sector_size">
        <tr><th>Sector size (logical, physical)</th><td><xsl:value-of select="r:logical_sector_size"/>
          bytes, <xsl:value-of select="r:physical_sector_size"/> bytes</td></tr>
      </xsl:if>
      <tr><th>Write blocked</th><td><xsl:choose>
        <xsl:when test="r:write_blocked = 'true'">yes: set read-only in the kernel while it was read</xsl:when>
        <xsl:otherwise>no (opened read-only)</xsl:otherwise></xsl:choose></td></tr>
    </table>
  </xsl:template>

  <xsl:template match="r:acquisition">
    <h2>Acquisition</h2>
    <table>
      <xsl:apply-templates select="../r:tool"/>
      <tr><th>Started</th><td><xsl:call-template name="utc"><xsl:with-param name="t" select="r:started"/></xsl:call-template></td></tr>
      <tr><th>Finished</th><td><xsl:call-template name="utc"><xsl:with-param name="t" select="r:finished"/></xsl:call-template></td></tr>
      <tr><th>Duration and rate</th><td><xsl:value-of select="format-number(r:duration_seconds, '#,##0.0')"/> s<xsl:if
          test="r:duration_seconds &gt; 0">, <xsl:value-of select="format-number($media div r:duration_seconds div 1000000, '#,##0.0')"/> MB/s</xsl:if></td></tr>
      <tr><th>Result</th><td><xsl:value-of select="translate(r:result, '_', ' ')"/></td></tr>
      <tr><th>Settings</th><td><xsl:value-of select="r:settings/r:format"/>,
        <xsl:value-of select="r:settings/r:compression"/> compression,
        <xsl:value-of select="r:settings/r:bytes_per_sector"/> bytes per sector,
        <xsl:value-of select="r:settings/r:chunk_sectors"/> sectors per chunk, segments of at most
        <xsl:call-template name="size"><xsl:with-param name="bytes" select="r:settings/r:segment_size"/></xsl:call-template>,
        <xsl:value-of select="r:settings/r:retries"/> retries of an unreadable sector</td></tr>
      <xsl:for-each select="r:rescue">
        <tr><th>Rescue (GNU ddrescue)</th><td><xsl:value-of select="r:engine"/>:
          <xsl:call-template name="size"><xsl:with-param name="bytes" select="r:rescued_bytes"/></xsl:call-template>
          rescued; map <xsl:value-of select="r:mapfile"/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- the custos that made the record: its own version, host and libraries, one line each -->
  <xsl:template match="r:tool">
    <tr><th>Tool</th><td><xsl:value-of select="r:name"/><xsl:text> </xsl:text>
      <xsl:value-of select="r:version"/></td></tr>
    <tr><th>Host</th><td><xsl:value-of select="r:host"/></td></tr>
    <xsl:for-each select="r:library">
      <tr><th>Library</th><td><xsl:value-of select="@name"/><xsl:text> </xsl:text>
        <xsl:value-of select="@version"/></td></tr>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="r:enrollment">
    <h2>Enrollment</h2>
    <p>This set was <b>not acquired by custos</b>: custos took it into custody
      (custos verify --enroll) after a full verify of it. What follows of its acquisition is
      what the set's own headers say.</p>
    <table>
      <xsl:apply-templates select="r:tool"/>
      <tr><th>Enrolled</th><td><xsl:call-template name="utc"><xsl:with-param name="t" select="r:enrolled"/></xsl:call-template></td></tr>
      <tr><th>Full verify</th><td><xsl:value-of select="r:result"/></td></tr>
      <tr><th>Evidence</th><td><xsl:value-of select="r:evidence"/></td></tr>
      <tr><th>Written as</th><td><xsl:value-of select="r:written_by/r:format"/></td></tr>
      <tr><th>Acquiring software (headers)</th><td><xsl:value-of select="r:written_by/r:software"/></td></tr>
      <tr><th>Acquired (headers)</th><td><xsl:value-of select="r:written_by/r:acquired"/></td></tr>
      <xsl:if test="r:medium/r:model">
        <tr><th>Medium model (headers)</th><td><xsl:value-of select="r:medium/r:model"/></td></tr>
      </xsl:if>
      <xsl:if test="r:medium/r:serial">
        <tr><th>Medium serial (headers)</th><td><xsl:value-of select="r:medium/r:serial"/></td></tr>
      </xsl:if>
      <tr><th>Media size</th><td><xsl:call-template name="size"><xsl:with-param name="bytes" select="r:medium/r:size"/></xsl:call-template></td></tr>
    </table>
  </xsl:template>

  <!-- ==== digests ==== -->
  <xsl:template match="r:hashes">
    <h2>Digests</h2>
    <table>
      <xsl:for-each select="r:acquisition/r:hash">
        <xsl:call-template name="digest-row"><xsl:with-param name="label"><xsl:choose>
          <xsl:when test="/r:report/r:enrollment">Stored in the set</xsl:when>
          <xsl:otherwise>At acquisition</xsl:otherwise></xsl:choose></xsl:with-param></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="r:source/r:hash">
        <xsl:call-template name="digest-row"><xsl:with-param name="label">Of the source's exact bytes</xsl:with-param></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="r:enrollment/r:hash">
        <xsl:call-template name="digest-row"><xsl:with-param name="label">Computed at enrollment</xsl:with-param></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="r:verification">
        <tr><th>Last verification</th><td><xsl:call-template name="utc"><xsl:with-param name="t" select="@time"/></xsl:call-template>
          by <xsl:value-of select="@by"/>: <b><xsl:value-of select="@result"/></b></td></tr>
        <xsl:for-each select="r:hash">
          <xsl:call-template name="digest-row"><xsl:with-param name="label">At the last verification</xsl:with-param></xsl:call-template>
        </xsl:for-each>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- a digest in groups of eight hex digits, so that it wraps only between groups -->
  <xsl:template name="digest-row">
    <xsl:param name="label"/>
    <tr><th><xsl:value-of select="$label"/>, <xsl:call-template name="algorithm"/></th>
      <td class="digest"><xsl:call-template name="groups"><xsl:with-param name="s" select="."/></xsl:call-template></td></tr>
  </xsl:template>

  <xsl:template name="algorithm">
    <xsl:choose>
      <xsl:when test="@type = 'md5'">MD5</xsl:when>
      <xsl:when test="@type = 'sha1'">SHA-1</xsl:when>
      <xsl:when test="@type = 'sha256'">SHA-256</xsl:when>
      <xsl:otherwise><xsl:value-of select="@type"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="groups">
    <xsl:param name="s"/>
    <span class="group"><xsl:value-of select="substring($s, 1, 8)"/></span>
    <xsl:if test="string-length($s) &gt; 8">
      <xsl:text> </xsl:text>
      <xsl:call-template name="groups"><xsl:with-param name="s" select="substring($s, 9)"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ==== read errors: the medium drawn to scale, and the exact list ==== -->
  <xsl:template name="read-errors">
    <h2>Read errors</h2>
    <xsl:choose>
      <xsl:when test="r:read_errors/r:range">
        <p><xsl:value-of select="format-number(sum(r:read_errors/r:range/@count), '#,##0')"/> sectors in
          <xsl:value-of select="count(r:read_errors/r:range)"/> ranges could not be read: they
          are zero-filled in the evidence, and recorded exactly as below.</p>
      </xsl:when>
      <xsl:when test="r:enrollment"><p>None: the set records no unreadable sector.</p></xsl:when>
      <xsl:otherwise><p>None: every sector was read.</p></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$sectors &gt; 0">
      <figure>
        <xsl:call-template name="map"/>
        <figcaption class="legend">
          <span><span class="swatch" style="background:#cfe8cf"></span>read</span>
          <span><span class="swatch" style="background:#c00000"></span>unreadable (each mark at
            least 0.3% wide; the table gives the exact sectors)</span>
          <xsl:if test="$last-verify/r:damaged_sectors">
            <span><span class="swatch" style="background:#e08000"></span>damaged at the last
              verify (its chunks no longer check)</span>
          </xsl:if>
          <xsl:if test="r:hash_windows">
            <span><span class="swatch" style="background:#2e7d32"></span>windows that match
              their acquisition digests</span>
            <span><span class="swatch" style="background:#9e9e9e"></span>windows not checked
              since the acquisition</span>
            <span><span class="swatch" style="background:#ff8a80"></span>windows that no longer
              match</span>
          </xsl:if>
          <span>sector 0 at the left, sector <xsl:value-of select="format-number($sectors - 1, '#,##0')"/> at the right</span>
        </figcaption>
      </figure>
    </xsl:if>
    <xsl:if test="r:read_errors/r:range">
      <table>
        <thead><tr><th>First sector</th><td><b>Last sector</b></td><td><b>Sectors</b></td><td><b>Bytes from</b></td></tr></thead>
        <xsl:for-each select="r:read_errors/r:range">
          <tr><th><xsl:value-of select="@first"/></th><td><xsl:value-of select="@first + @count - 1"/></td>
            <td><xsl:value-of select="@count"/></td><td><xsl:value-of select="format-number(@first * $sector, '0')"/></td></tr>
        </xsl:for-each>
      </table>
    </xsl:if>
  </xsl:template>

  <!--
    The map: the medium as a bar 1000 units wide, sector 0 at the left; each
    unreadable range a mark at first / sectors * 1000, at least 3 units
    wide, with its exact sectors in its title (and in data- attributes, for
    tests and tools).  custos report's map option writes this element alone.
  -->
  <xsl:template name="map">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 80" role="img"
         data-sectors="{$sectors}" data-sector-size="{$sector}">
      <title>The medium, <xsl:value-of select="$sectors"/> sectors, drawn to scale</title>
      <rect class="medium" x="0" y="10" width="1000" height="40" fill="#cfe8cf" stroke="#000" stroke-width="0.5"/>
      <xsl:for-each select="r:read_errors/r:range">
        <xsl:variable name="x" select="@first div $sectors * 1000"/>
        <xsl:variable name="w" select="@count div $sectors * 1000"/>
        <xsl:variable name="shown">
          <xsl:choose><xsl:when test="$w &lt; 3">3</xsl:when><xsl:otherwise><xsl:value-of select="$w"/></xsl:otherwise></xsl:choose>
        </xsl:variable>
        <xsl:variable name="at">
          <xsl:choose><xsl:when test="$x + $shown &gt; 1000"><xsl:value-of select="1000 - $shown"/></xsl:when><xsl:otherwise><xsl:value-of select="$x"/></xsl:otherwise></xsl:choose>
        </xsl:variable>
        <rect class="unreadable" x="{format-number($at, '0.###')}" y="6" width="{format-number($shown, '0.###')}"
              height="48" fill="#c00000" data-first="{@first}" data-count="{@count}">
          <title>unreadable: sectors <xsl:value-of select="@first"/> to <xsl:value-of select="@first + @count - 1"/> (<xsl:value-of select="@count"/>)</title>
        </rect>
      </xsl:for-each>
      <xsl:for-each select="$last-verify/r:damaged_sectors/r:range">
        <xsl:call-template name="mark">
          <xsl:with-param name="class">damaged</xsl:with-param>
          <xsl:with-param name="fill">#e08000</xsl:with-param>
          <xsl:with-param name="first" select="@first"/>
          <xsl:with-param name="count" select="@count"/>
          <xsl:with-param name="y" select="18"/>
          <xsl:with-param name="h" select="24"/>
          <xsl:with-param name="what">damaged at the last verify:</xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:apply-templates select="r:hash_windows" mode="map"/>
    </svg>
  </xsl:template>

  <!--
    The windows under the medium: all of them in the state the last verify
    proved (green: the media matched, or the windows it compared did; grey:
    not checked since the acquisition), the ones it found differing marked.
  -->
  <xsl:template match="r:hash_windows" mode="map">
    <xsl:variable name="w" select="$last-verify/r:windows"/>
    <xsl:variable name="proved" select="$w or substring-before(substring-after(concat($last-verify/r:note, ';'), 'result: '), ';') = 'match'"/>
    <rect xmlns="http://www.w3.org/2000/svg" class="windows" x="0" y="60" width="1000" height="12" stroke="#000" stroke-width="0.5"
          data-state="{substring('matchunchecked', 1 + 5 * number(not($proved)), 5 + 4 * number(not($proved)))}">
      <xsl:attribute name="fill"><xsl:choose><xsl:when test="$proved">#2e7d32</xsl:when><xsl:otherwise>#9e9e9e</xsl:otherwise></xsl:choose></xsl:attribute>
      <title><xsl:value-of select="@count"/> windows of <xsl:value-of select="@size"/> bytes: <xsl:choose>
        <xsl:when test="$w"><xsl:value-of select="$w/@match"/> match their acquisition digests</xsl:when>
        <xsl:when test="$proved">all match (the last verify matched)</xsl:when>
        <xsl:otherwise>not checked since the acquisition</xsl:otherwise></xsl:choose></title>
    </rect>
    <xsl:variable name="size" select="@size"/>
    <xsl:for-each select="$w/r:differ/r:range">
      <xsl:call-template name="mark">
        <xsl:with-param name="class">window-differs</xsl:with-param>
        <xsl:with-param name="fill">#ff8a80</xsl:with-param>
        <xsl:with-param name="first" select="@first * $size div $sector"/>
        <xsl:with-param name="count" select="@count * $size div $sector"/>
        <xsl:with-param name="y" select="60"/>
        <xsl:with-param name="h" select="12"/>
        <xsl:with-param name="what">windows <xsl:value-of select="@first"/> to <xsl:value-of select="@first + @count - 1"/> no longer match:</xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- a mark of `count` sectors from `first`, at least 3 units wide, inside the bar -->
  <xsl:template name="mark">
    <xsl:param name="class"/>
    <xsl:param name="fill"/>
    <xsl:param name="first"/>
    <xsl:param name="count"/>
    <xsl:param name="y"/>
    <xsl:param name="h"/>
    <xsl:param name="what"/>
    <xsl:variable name="last" select="$first + $count"/>
    <xsl:variable name="end"><xsl:choose><xsl:when test="$last &gt; $sectors"><xsl:value-of select="$sectors"/></xsl:when><xsl:otherwise><xsl:value-of select="$last"/></xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="x" select="$first div $sectors * 1000"/>
    <xsl:variable name="w" select="($end - $first) div $sectors * 1000"/>
    <xsl:variable name="shown"><xsl:choose><xsl:when test="$w &lt; 3">3</xsl:when><xsl:otherwise><xsl:value-of select="$w"/></xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="at"><xsl:choose><xsl:when test="$x + $shown &gt; 1000"><xsl:value-of select="1000 - $shown"/></xsl:when><xsl:otherwise><xsl:value-of select="$x"/></xsl:otherwise></xsl:choose></xsl:variable>
    <rect xmlns="http://www.w3.org/2000/svg" class="{$class}" x="{format-number($at, '0.###')}" y="{$y}"
          width="{format-number($shown, '0.###')}" height="{$h}" fill="{$fill}"
          data-first="{$first}" data-count="{$end - $first}">
      <title><xsl:value-of select="$what"/> sectors <xsl:value-of select="$first"/> to <xsl:value-of select="$end - 1"/> (<xsl:value-of select="$end - $first"/>)</title>
    </rect>
  </xsl:template>

  <!-- ==== SMART ==== -->
  <xsl:template match="r:smart">
    <h2>Drive health (SMART)</h2>
    <xsl:variable name="b" select="r:reading[@when='before']"/>
    <xsl:variable name="a" select="r:reading[@when='after']"/>
    <table>
      <thead><tr><th></th><td><b>Before the acquisition</b><br/><xsl:call-template name="utc"><xsl:with-param name="t" select="$b/@time"/></xsl:call-template></td>
        <td><b>After it</b><br/><xsl:call-template name="utc"><xsl:with-param name="t" select="$a/@time"/></xsl:call-template></td></tr></thead>
      <tr><th>Verdict</th>
        <td><xsl:call-template name="smart-verdict"><xsl:with-param name="r" select="$b"/></xsl:call-template></td>
        <td><xsl:call-template name="smart-verdict"><xsl:with-param name="r" select="$a"/></xsl:call-template></td></tr>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Power-on hours</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:power_on_hours"/><xsl:with-param name="a" select="$a/r:power_on_hours"/></xsl:call-template>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Reallocated sectors</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:reallocated_sectors"/><xsl:with-param name="a" select="$a/r:reallocated_sectors"/></xsl:call-template>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Pending sectors</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:pending_sectors"/><xsl:with-param name="a" select="$a/r:pending_sectors"/></xsl:call-template>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Offline uncorrectable</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:offline_uncorrectable"/><xsl:with-param name="a" select="$a/r:offline_uncorrectable"/></xsl:call-template>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Media errors</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:media_errors"/><xsl:with-param name="a" select="$a/r:media_errors"/></xsl:call-template>
      <xsl:call-template name="smart-row"><xsl:with-param name="label">Temperature (&#176;C)</xsl:with-param>
        <xsl:with-param name="b" select="$b/r:temperature_celsius"/><xsl:with-param name="a" select="$a/r:temperature_celsius"/></xsl:call-template>
      <tr><th>smartctl's JSON, SHA-256</th>
        <td class="digest"><xsl:call-template name="groups"><xsl:with-param name="s" select="$b/r:smartctl_json/@sha256"/></xsl:call-template></td>
        <td class="digest"><xsl:call-template name="groups"><xsl:with-param name="s" select="$a/r:smartctl_json/@sha256"/></xsl:call-template></td></tr>
    </table>
  </xsl:template>

  <!-- one SMART reading's verdict: PASSED, FAILED, or no SMART and why -->
  <xsl:template name="smart-verdict">
    <xsl:param name="r"/>
    <xsl:choose>
      <xsl:when test="not($r)">not read</xsl:when>
      <xsl:when test="$r/@available = 'true'"><b><xsl:value-of select="$r/r:health"/></b>
        <xsl:if test="$r/r:model"> (<xsl:value-of select="$r/r:protocol"/>, <xsl:value-of select="$r/r:model"/>, serial <xsl:value-of select="$r/r:serial"/>)</xsl:if></xsl:when>
      <xsl:otherwise>no SMART: <xsl:value-of select="$r/r:reason"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a SMART counter before and after, when the drive reports it -->
  <xsl:template name="smart-row">
    <xsl:param name="label"/>
    <xsl:param name="b"/>
    <xsl:param name="a"/>
    <xsl:if test="$b or $a">
      <tr><th><xsl:value-of select="$label"/></th><td><xsl:value-of select="$b"/></td>
          <td><xsl:value-of select="$a"/></td></tr>
    </xsl:if>
  </xsl:template>

  <!-- ==== piecewise digests ==== -->
  <xsl:template match="r:hash_windows">
    <h2>Piecewise digests</h2>
    <p>The acquisition also recorded the digests of each of <xsl:value-of select="@count"/>
      windows of <xsl:call-template name="size"><xsl:with-param name="bytes" select="@size"/></xsl:call-template>
      (as dcfldd's hashwindow and hashdeep -p define them), so that a later verify of a
      damaged set proves again every window the damage does not touch. The XML report lists
      every window with its digests.</p>
  </xsl:template>

  <!-- ==== the evidence files ==== -->
  <xsl:template match="r:container">
    <h2>Evidence files</h2>
    <table>
      <tr><th>Format</th><td><xsl:value-of select="r:format"/>,
        <xsl:value-of select="r:compression"/> compression, chunks of
        <xsl:call-template name="size"><xsl:with-param name="bytes" select="r:chunk_size"/></xsl:call-template>,
        media of <xsl:call-template name="size"><xsl:with-param name="bytes" select="r:media_size"/></xsl:call-template></td></tr>
      <xsl:for-each select="r:segment">
        <xsl:call-template name="file-row"/>
      </xsl:for-each>
    </table>
    <xsl:if test="r:copy">
      <h2>Other copies from the same acquisition</h2>
      <table>
        <xsl:for-each select="r:copy">
          <tr><th><xsl:value-of select="@kind"/><xsl:text> </xsl:text><xsl:value-of select="@path"/></th>
            <td><xsl:value-of select="@result"/><xsl:if test="r:error">: <xsl:value-of select="r:error"/></xsl:if></td></tr>
          <xsl:for-each select="r:segment">
            <xsl:call-template name="file-row"/>
          </xsl:for-each>
        </xsl:for-each>
      </table>
    </xsl:if>
  </xsl:template>

  <xsl:template name="file-row">
    <tr><th><xsl:value-of select="@name"/><br/><span class="note"><xsl:call-template name="size"><xsl:with-param name="bytes" select="@size"/></xsl:call-template></span></th>
      <td class="digest">SHA-256 <xsl:call-template name="groups"><xsl:with-param name="s" select="@sha256"/></xsl:call-template></td></tr>
  </xsl:template>

  <!-- ==== verification history, and the chain of custody ==== -->
  <xsl:template name="verifications">
    <h2>Verification history</h2>
    <xsl:choose>
      <xsl:when test="$verifies">
        <table>
          <thead><tr><th>When (UTC)</th><td><b>Result</b></td><td><b>By</b></td></tr></thead>
          <xsl:for-each select="$verifies">
            <tr><th><xsl:call-template name="utc"><xsl:with-param name="t" select="@time"/></xsl:call-template>
                <xsl:call-template name="trusted"/></th>
              <td><b><xsl:call-template name="result-of"><xsl:with-param name="e" select="."/></xsl:call-template></b></td>
              <td><xsl:value-of select="@by"/><xsl:call-template name="signer"/></td></tr>
          </xsl:for-each>
        </table>
      </xsl:when>
      <xsl:otherwise><p>The custody log records no verification since.</p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="r:custody">
    <h2>Chain of custody</h2>
    <table>
      <xsl:for-each select="r:event">
        <tr><th><xsl:value-of select="@seq"/>. <xsl:call-template name="utc"><xsl:with-param name="t" select="@time"/></xsl:call-template>
            <xsl:call-template name="trusted"/></th>
          <td><b><xsl:value-of select="@action"/></b> by <xsl:value-of select="@by"/>
            <xsl:if test="@to"> to <xsl:value-of select="@to"/></xsl:if>
            <xsl:if test="@location"> at <xsl:value-of select="@location"/></xsl:if>
            <xsl:if test="r:note"><br/><span class="note"><xsl:value-of select="r:note"/></span></xsl:if>
            <xsl:call-template name="signer"/>
            <br/><span class="note">event hash <span class="digest"><xsl:value-of select="@hash"/></span></span></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- an event's signer and the state of its signature -->
  <xsl:template name="signer">
    <br/><span class="note"><xsl:choose>
      <xsl:when test="@signed_by">signed by <xsl:value-of select="@signed_by"/> (certificate SHA-256
        <span class="digest"><xsl:value-of select="@signer_sha256"/></span>); the signature was checked when this report was made</xsl:when>
      <xsl:otherwise>unsigned</xsl:otherwise></xsl:choose></span>
  </xsl:template>

  <!-- an event's trusted time (RFC 3161), or why it has none -->
  <xsl:template name="trusted">
    <xsl:choose>
      <xsl:when test="@trusted_time"><br/><span class="note">trusted time <xsl:call-template name="utc"><xsl:with-param
          name="t" select="@trusted_time"/></xsl:call-template> (<xsl:value-of select="@time_stamped_by"/>)</span></xsl:when>
      <xsl:when test="@time_stamp_missing"><br/><span class="note">time-stamp missing: <xsl:value-of select="@time_stamp_missing"/></span></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ==== sizes and times ==== -->

  <!-- "500.1 GB (500,107,862,016 bytes)": decimal units, and the exact count -->
  <xsl:template name="size">
    <xsl:param name="bytes"/>
    <xsl:variable name="n" select="number($bytes)"/>
    <xsl:choose>
      <xsl:when test="$n &gt;= 1000000000000"><xsl:value-of select="format-number($n div 1000000000000, '0.0')"/> TB</xsl:when>
      <xsl:when test="$n &gt;= 1000000000"><xsl:value-of select="format-number($n div 1000000000, '0.0')"/> GB</xsl:when>
      <xsl:when test="$n &gt;= 1000000"><xsl:value-of select="format-number($n div 1000000, '0.0')"/> MB</xsl:when>
      <xsl:when test="$n &gt;= 1000"><xsl:value-of select="format-number($n div 1000, '0.0')"/> kB</xsl:when>
      <xsl:otherwise><xsl:value-of select="$n"/> bytes</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$n &gt;= 1000"> (<xsl:value-of select="format-number($n, '#,##0')"/> bytes)</xsl:if>
  </xsl:template>

  <!-- 2026-12-01T10:42:07Z as "2026-12-01 10:42:07 UTC" -->
  <xsl:template name="utc">
    <xsl:param name="t"/>
    <xsl:choose>
      <xsl:when test="substring($t, 20) = 'Z'"><xsl:value-of
          select="concat(substring($t, 1, 10), ' ', substring($t, 12, 8), ' UTC')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="day">
    <xsl:param name="t"/>
    <xsl:value-of select="substring($t, 1, 10)"/>
  </xsl:template>
</xsl:stylesheet>
