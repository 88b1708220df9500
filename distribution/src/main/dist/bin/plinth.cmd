@echo off
rem Starts Plinth in the foreground: bin\plinth.cmd [--port N] [--host ADDRESS] [--docroot DIR] [--base DIR] [--help]
rem
rem The arguments go to plinth.jar (bin\plinth.cmd --help lists them). Ctrl-C reaches java, which stops the server;
rem the exit status is java's.
rem
rem   JAVA_HOME    the JDK or JRE to use (17 or later); without it, java on the PATH
rem   JAVA_OPTS    options for the JVM, such as -Xmx512m
rem   PLINTH_OPTS  more options for the JVM, for Plinth only; they come after JAVA_OPTS and so win over them
rem   PLINTH_BASE  the instance folder for etc\, deploy\, www\, logs\ and data\ (default: this release's folder);
rem                the option --base wins over it. README.md, "The release archive", tells more.
setlocal

rem The release's folder: the parent of bin\, made absolute.
set "PLINTH_HOME=%~dp0.."
for %%I in ("%PLINTH_HOME%") do set "PLINTH_HOME=%%~fI"

rem No parenthesised blocks below: a folder such as "C:\Program Files (x86)" would end them early.
if not defined JAVA_HOME goto javaOnPath
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto run
echo plinth: JAVA_HOME has no bin\java.exe: "%JAVA_HOME%" 1>&2
exit /b 1

:javaOnPath
set "JAVA=java.exe"
where /q java.exe
if not errorlevel 1 goto run
echo plinth: no java on the PATH; install Java 17 or later, or set JAVA_HOME 1>&2
exit /b 1

:run
"%JAVA%" %JAVA_OPTS% %PLINTH_OPTS% -jar "%PLINTH_HOME%\plinth.jar" %*
exit /b %ERRORLEVEL%
