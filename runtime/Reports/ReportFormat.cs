namespace NfmGen.Reports;

/// <summary>The text formats <see cref="RobustnessReport.Render"/> writes.</summary>
public enum ReportFormat
{
    /// <summary>A fixed-width table for the terminal; the best value in each column is marked with <c>*</c>.</summary>
    Text,

    /// <summary>A GitHub-flavoured Markdown table; the best value in each column is bold.</summary>
    Markdown,

    /// <summary>Comma-separated values with a header row, invariant culture, no marks.</summary>
    Csv,

    /// <summary>The report as JSON (<see cref="ReportJson"/>), which reads back into an equal report.</summary>
    Json,
}
