<?xml version="1.0" encoding="UTF-8"?>
<!--
  custos-report-html.xsl - the evidence report for people: one printable
  page for a court bundle.  custos report applies it for html output;
  `xsltproc report/custos-report-html.xsl REPORT.xml` gives the same page.
  What the report says of its own making (when, by which custos, on which
  host) is kept apart from the acquisition's tool, host and libraries; a set
  taken into custody by verify's enroll option is said to be enrolled, not
  acquired by custos.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:r="urn:custos:report:1" exclude-result-prefixes="r">
  <xsl:output method="html" encoding="UTF-8" indent="yes"
              doctype-system="about:legacy-compat"/>

  <xsl:template match="/r:report">
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <title>Evidence report <xsl:value-of select="r:case/r:case_number"/></title>
        <style>
          body { font-family: serif; margin: 2cm; color: #000; }
          h1 { font-size: 16pt; border-bottom: 2px solid #000; }
          h2 { font-size: 12pt; margin-top: 1.2em; }
          table { border-collapse: collapse; width: 100%; page-break-inside: avoid; }
          th, td { border: 1px solid #444; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 10pt; }
          th { width: 28%; background: #eee; }
          .hash { font-family: monospace; word-break: break-all; }
          @media print { body { margin: 1cm; } }
        </style>
      </head>
      <body>
        <h1>Evidence report</h1>
        <p>This report was generated <xsl:value-of select="@generated"/> (UTC)<xsl:if
            test="@generator"> by <xsl:value-of select="@generator"/></xsl:if><xsl:if
            test="@generator_host"> on <xsl:value-of select="@generator_host"/></xsl:if>
          from the custody log.</p>

        <h2>Case</h2>
        <table>
          <tr><th>Case number</th><td><xsl:value-of select="r:case/r:case_number"/></td></tr>
          <tr><th>Evidence number</th><td><xsl:value-of select="r:case/r:evidence_number"/></td></tr>
          <tr><th>Examiner</th><td><xsl:value-of select="r:examiner"/></td></tr>
          <tr><th>Description</th><td><xsl:value-of select="r:case/r:description"/></td></tr>
          <tr><th>Notes</th><td><xsl:value-of select="r:case/r:notes"/></td></tr>
        </table>

        <xsl:if test="r:acquisition">
        <h2>Source</h2>
        <table>
          <xsl:for-each select="r:source/*">
            <tr><th><xsl:value-of select="translate(local-name(), '_', ' ')"/></th>
                <td><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
        </table>

        <h2>Acquisition</h2>
        <table>
          <tr><th>Started</th><td><xsl:value-of select="r:acquisition/r:started"/></td></tr>
          <tr><th>Finished</th><td><xsl:value-of select="r:acquisition/r:finished"/></td></tr>
          <tr><th>Duration (s)</th><td><xsl:value-of select="r:acquisition/r:duration_seconds"/></td></tr>
          <tr><th>Result</th><td><xsl:value-of select="r:acquisition/r:result"/></td></tr>
          <xsl:for-each select="r:acquisition/r:settings/*">
            <tr><th><xsl:value-of select="translate(local-name(), '_', ' ')"/></th>
                <td><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
          <xsl:apply-templates select="r:tool">
            <xsl:with-param name="role" select="'Acquisition'"/>
          </xsl:apply-templates>
        </table>
        </xsl:if>

        <xsl:for-each select="r:enrollment">
        <h2>Enrollment</h2>
        <p>This set was <b>not acquired by custos</b>: custos took it into custody
          (<i>custos verify --enroll</i>) after a full verify of it. What follows of its
          acquisition is what the set's own headers say.</p>
        <table>
          <tr><th>Enrolled</th><td><xsl:value-of select="r:enrolled"/></td></tr>
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
          <tr><th>Media size (bytes)</th><td><xsl:value-of select="r:medium/r:size"/></td></tr>
          <xsl:for-each select="r:settings/*">
            <tr><th><xsl:value-of select="translate(local-name(), '_', ' ')"/></th>
                <td><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
          <xsl:apply-templates select="r:tool">
            <xsl:with-param name="role" select="'Enrollment'"/>
          </xsl:apply-templates>
        </table>
        </xsl:for-each>

        <h2>Digests</h2>
        <table>
          <xsl:for-each select="r:hashes/r:acquisition/r:hash">
            <tr><th><xsl:choose>
                  <xsl:when test="/r:report/r:enrollment">Stored in the set</xsl:when>
                  <xsl:otherwise>At acquisition</xsl:otherwise>
                </xsl:choose>, <xsl:value-of select="@type"/></th>
                <td class="hash"><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
          <xsl:for-each select="r:hashes/r:enrollment/r:hash">
            <tr><th>Computed at enrollment, <xsl:value-of select="@type"/></th>
                <td class="hash"><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
          <xsl:for-each select="r:hashes/r:verification">
            <tr><th>Last verification</th>
                <td><xsl:value-of select="@time"/> by <xsl:value-of select="@by"/>:
                    <b><xsl:value-of select="@result"/></b></td></tr>
            <xsl:for-each select="r:hash">
              <tr><th>Verified, <xsl:value-of select="@type"/></th>
                  <td class="hash"><xsl:value-of select="."/></td></tr>
            </xsl:for-each>
          </xsl:for-each>
        </table>

        <xsl:if test="r:smart">
          <h2>Drive health (SMART)</h2>
          <xsl:variable name="b" select="r:smart/r:reading[@when='before']"/>
          <xsl:variable name="a" select="r:smart/r:reading[@when='after']"/>
          <table>
            <tr><th></th><td><b>Before the acquisition</b> (<xsl:value-of select="$b/@time"/>)</td>
                <td><b>After it</b> (<xsl:value-of select="$a/@time"/>)</td></tr>
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
                <td class="hash"><xsl:value-of select="$b/r:smartctl_json/@sha256"/></td>
                <td class="hash"><xsl:value-of select="$a/r:smartctl_json/@sha256"/></td></tr>
          </table>
        </xsl:if>

        <h2>Read errors</h2>
        <xsl:choose>
          <xsl:when test="r:read_errors/r:range">
            <table>
              <tr><th>First sector</th><td><b>Sectors (zero-filled)</b></td></tr>
              <xsl:for-each select="r:read_errors/r:range">
                <tr><th><xsl:value-of select="@first"/></th><td><xsl:value-of select="@count"/></td></tr>
              </xsl:for-each>
            </table>
          </xsl:when>
          <xsl:when test="r:enrollment"><p>None: the set records no unreadable sector.</p></xsl:when>
          <xsl:otherwise><p>None: every sector was read.</p></xsl:otherwise>
        </xsl:choose>

        <h2>Container</h2>
        <table>
          <tr><th>Format</th><td><xsl:value-of select="r:container/r:format"/>,
              <xsl:value-of select="r:container/r:compression"/> compression,
              chunks of <xsl:value-of select="r:container/r:chunk_size"/> bytes,
              <xsl:value-of select="r:container/r:media_size"/> bytes of media</td></tr>
          <xsl:for-each select="r:container/r:segment">
            <tr><th><xsl:value-of select="@name"/> (<xsl:value-of select="@size"/> bytes)</th>
                <td class="hash">SHA-256 <xsl:value-of select="@sha256"/></td></tr>
          </xsl:for-each>
        </table>
        <xsl:if test="r:container/r:copy">
          <h2>Other copies from the same acquisition</h2>
          <table>
            <xsl:for-each select="r:container/r:copy">
              <tr><th><xsl:value-of select="@kind"/>
                  <xsl:text> </xsl:text><xsl:value-of select="@path"/></th>
                  <td><xsl:value-of select="@result"/>
                    <xsl:if test="r:error">: <xsl:value-of select="r:error"/></xsl:if></td></tr>
              <xsl:for-each select="r:segment">
                <tr><th><xsl:value-of select="@name"/> (<xsl:value-of select="@size"/> bytes)</th>
                    <td class="hash">SHA-256 <xsl:value-of select="@sha256"/></td></tr>
              </xsl:for-each>
            </xsl:for-each>
          </table>
        </xsl:if>

        <h2>Chain of custody</h2>
        <table>
          <xsl:for-each select="r:custody/r:event">
            <tr><th><xsl:value-of select="@seq"/>. <xsl:value-of select="@time"/></th>
                <td><b><xsl:value-of select="@action"/></b> by <xsl:value-of select="@by"/>
                  <xsl:if test="@to"> to <xsl:value-of select="@to"/></xsl:if>
                  <xsl:if test="@location"> at <xsl:value-of select="@location"/></xsl:if>
                  <xsl:if test="r:note"><br/><xsl:value-of select="r:note"/></xsl:if>
                  <xsl:if test="@trusted_time"><br/>Trusted time <xsl:value-of select="@trusted_time"/>
                    (RFC 3161, <xsl:value-of select="@time_stamped_by"/>)</xsl:if>
                  <xsl:if test="@time_stamp_missing"><br/>Time-stamp missing: <xsl:value-of select="@time_stamp_missing"/></xsl:if></td></tr>
          </xsl:for-each>
        </table>
      </body>
    </html>
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

  <!-- the custos that made the record (acquired or enrolled the set): its own
       version, host and libraries, not the report's -->
  <xsl:template match="r:tool">
    <xsl:param name="role"/>
    <tr><th><xsl:value-of select="$role"/> tool</th><td><xsl:value-of select="r:name"/>
        <xsl:text> </xsl:text><xsl:value-of select="r:version"/></td></tr>
    <tr><th><xsl:value-of select="$role"/> host</th><td><xsl:value-of select="r:host"/></td></tr>
    <xsl:for-each select="r:library">
      <tr><th><xsl:value-of select="$role"/> library</th><td><xsl:value-of select="@name"/>
          <xsl:text> </xsl:text><xsl:value-of select="@version"/></td></tr>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
